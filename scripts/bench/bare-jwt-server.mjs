// The floors for this stack on this machine: a bare Node HTTP server that only signs an ES256
// JWT with the same header and claims as Canopy's token service, once per request. SIGNER picks
// how it signs: `jose` (SignJWT over WebCrypto, asynchronous) or `node` (node:crypto's
// synchronous sign with a P-256 KeyObject, the header encoded once) — the lower floor.
import { generateKeyPair, SignJWT } from 'jose';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';

// JWT_HEADER and JWT_NAMES (JSON: { iss, sub, aud }) make it sign the very JWT a Canopy grant is:
// the same header (its certificate chain included) and claims of the same sizes
const x5c = ['MIIB' + 'A'.repeat(400)]; // else a certificate-sized header, as Canopy sends
const header = process.env.JWT_HEADER ? JSON.parse(process.env.JWT_HEADER) : { alg: 'ES256', typ: 'JWT', kid: 'bench', x5c };
const names = process.env.JWT_NAMES ? JSON.parse(process.env.JWT_NAMES) : { iss: 'bench', sub: 'bench-token', aud: 'edge.bench.local' };
const claims = (iat) => ({
  access: [{ type: 'repository', name: 'apps/web', actions: ['pull'] }],
  iss: names.iss,
  sub: names.sub,
  aud: names.aud,
  iat,
  nbf: iat,
  exp: iat + 300,
  jti: randomUUID(),
});

async function joseSigner() {
  const { privateKey } = await generateKeyPair('ES256');
  return (iat) => {
    const { access, iss, sub, aud, jti } = claims(iat);
    return new SignJWT({ access })
      .setProtectedHeader(header)
      .setIssuer(iss)
      .setSubject(sub)
      .setAudience(aud)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + 300)
      .setJti(jti)
      .sign(privateKey);
  };
}

async function nodeSigner() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const key = createPrivateKey({ key: Buffer.from(await crypto.subtle.exportKey('pkcs8', privateKey)), format: 'der', type: 'pkcs8' });
  const encodedHeader = Buffer.from(JSON.stringify(header)).toString('base64url');
  return (iat) => {
    const input = `${encodedHeader}.${Buffer.from(JSON.stringify(claims(iat))).toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
}

const signJwt = process.env.SIGNER === 'node' ? await nodeSigner() : await joseSigner();
const server = createServer(async (req, res) => {
  const iat = Math.floor(Date.now() / 1000);
  const token = await signJwt(iat);
  const body = JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(iat * 1000).toISOString() });
  // with its length, as Canopy answers: one write rather than a chunked body
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

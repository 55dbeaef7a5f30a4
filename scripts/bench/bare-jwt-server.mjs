// The floor for this stack on this machine: a bare Node HTTP server that only signs an ES256
// JWT with the same header and claims as Canopy's token service, once per request.
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const { privateKey } = await generateKeyPair('ES256');
const x5c = ['MIIB' + 'A'.repeat(400)]; // a certificate-sized header, as Canopy sends
const server = createServer(async (req, res) => {
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ access: [{ type: 'repository', name: 'apps/web', actions: ['pull'] }] })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'bench', x5c })
    .setIssuer('bench')
    .setSubject('bench-token')
    .setAudience('edge.bench.local')
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + 300)
    .setJti(randomUUID())
    .sign(privateKey);
  const body = JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(iat * 1000).toISOString() });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

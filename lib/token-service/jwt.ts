// ES256 JWTs signed with node:crypto's synchronous signer: the token endpoint's hot path. jose's
// SignJWT signs through WebCrypto, which is asynchronous (a hop to the thread pool and several
// promises per token, each one dearer under Next.js's async context tracking) and encodes the
// same header again for every token; here the header is encoded once per key and a token costs
// one JSON encoding and one signature. Verification stays with jose (refresh tokens, tests).
import { sign, type KeyObject } from 'node:crypto';

/** A JOSE header, encoded once (base64url of its JSON): the first segment of every token it signs. */
export function encodeJwtHeader(header: { alg: 'ES256'; typ: 'JWT'; kid: string; x5c?: string[] }): string {
  return Buffer.from(JSON.stringify(header)).toString('base64url');
}

/** A compact JWS: `<header>.<claims>.<signature>`, the signature in JOSE's r‖s form (RFC 7518 §3.4). */
export function signEs256Jwt(key: KeyObject, encodedHeader: string, claims: Record<string, unknown>): string {
  return signEs256JwtJson(key, encodedHeader, JSON.stringify(claims));
}

/** The same, the claims given as their JSON text (the token endpoint writes its claims' text itself). */
export function signEs256JwtJson(key: KeyObject, encodedHeader: string, claimsJson: string): string {
  const input = `${encodedHeader}.${Buffer.from(claimsJson).toString('base64url')}`;
  // the signing input is base64url and a dot, ASCII alone: as latin1 its bytes are its characters,
  // without the scan for UTF-8's length
  return `${input}.${sign('sha256', Buffer.from(input, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

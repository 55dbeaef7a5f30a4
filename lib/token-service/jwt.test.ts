// The hot path's hand-rolled ES256 signer against jose, the reference: what it signs verifies,
// with the header and claims as given, and a changed byte does not.
import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { encodeJwtHeader, signEs256Jwt } from './jwt';

describe('signEs256Jwt', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = encodeJwtHeader({ alg: 'ES256', typ: 'JWT', kid: 'k1', x5c: ['MIIBcert'] });
  const claims = {
    access: [{ type: 'repository', name: 'apps/web', actions: ['pull'] }],
    iss: 'canopy',
    sub: 'ci',
    aud: 'edge.local',
    iat: 1,
    exp: 4102444800,
  };

  it('signs a JWT that jose verifies, with the header and claims it was given', async () => {
    const token = signEs256Jwt(privateKey, header, claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k1', x5c: ['MIIBcert'] });
    const { payload } = await jwtVerify(token, publicKey, { issuer: 'canopy', audience: 'edge.local', algorithms: ['ES256'] });
    expect(payload).toEqual(claims);
    // base64url segments and dots alone: grantResponse quotes it in JSON without escaping
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    // JOSE's r‖s signature: 64 bytes, not DER
    expect(Buffer.from(token.split('.')[2], 'base64url')).toHaveLength(64);
  });

  it('makes a token whose claims cannot be changed without breaking the signature', async () => {
    const [h, , signature] = signEs256Jwt(privateKey, header, claims).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${signature}`;
    await expect(jwtVerify(forged, publicKey)).rejects.toThrow();
  });
});

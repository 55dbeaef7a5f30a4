// Refresh tokens (distribution's oauth.md, `access_type=offline`): signed like access tokens,
// each standing for the password slot it was issued from, so that regenerating that slot
// revokes it. Verified against every signing key still kept, held in memory for 10 s.
import { importX509, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { tokenIssuer } from '@/lib/config';
import { DatabaseUnavailableError, noteDatabaseFailure } from '@/lib/db/outage';
import { PASSWORD_SLOTS } from '@/lib/tokens/schemas';
import { TokenAuthError, type Principal } from './authenticate';
import { activeSigningKey, REFRESH_TOKEN_TTL_SECONDS, refreshTokenVerificationKeys } from './keys';

export async function signRefreshToken(principal: Principal, service: string, now: number) {
  const key = await activeSigningKey(now);
  const iat = Math.floor(now / 1000);
  let exp = iat + REFRESH_TOKEN_TTL_SECONDS;
  if (principal.slotExpiry) exp = Math.min(exp, Math.floor(principal.slotExpiry.getTime() / 1000));
  return new SignJWT({ use: 'refresh', slot: principal.slot, sct: principal.slotCreatedAt.getTime() })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    .setIssuer(tokenIssuer())
    .setSubject(principal.tokenName)
    .setAudience(service)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key.key);
}

let verifyKeys: { keys: Map<string, CryptoKey>; until: number } | undefined;
async function verificationKey(kid: string | undefined): Promise<CryptoKey | undefined> {
  if (!verifyKeys || verifyKeys.until < Date.now() || (kid && !verifyKeys.keys.has(kid))) {
    let rows;
    try {
      rows = await refreshTokenVerificationKeys();
    } catch (error) {
      // in a database outage, the keys held keep verifying
      if (!noteDatabaseFailure(error)) throw error;
      if (!verifyKeys) throw new DatabaseUnavailableError();
      return kid ? verifyKeys.keys.get(kid) : undefined;
    }
    const keys = new Map<string, CryptoKey>();
    for (const k of rows) keys.set(k.kid, (await importX509(k.certificate, 'ES256')) as CryptoKey);
    verifyKeys = { keys, until: Date.now() + 10_000 };
  }
  return kid ? verifyKeys.keys.get(kid) : undefined;
}

/** A refresh token stands for the password slot it was issued from: regenerating that slot revokes it. */
export async function refreshCredential(refreshToken: string, service: string) {
  try {
    const { payload } = await jwtVerify(
      refreshToken,
      async (header) => {
        const key = await verificationKey(header.kid);
        if (!key) throw new Error('unknown key');
        return key;
      },
      { issuer: tokenIssuer(), audience: service, algorithms: ['ES256'] },
    );
    if (payload.use !== 'refresh' || typeof payload.sub !== 'string') throw new Error('not a refresh token');
    const slot = PASSWORD_SLOTS.find((s) => s === payload.slot);
    if (!slot) throw new Error('no password slot');
    return { username: payload.sub, credential: { slot, slotCreatedAt: Number(payload.sct) } as const };
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new TokenAuthError(401, 'The refresh token is not valid (expired, or its password was regenerated).', {
      countsAsFailure: true,
    });
  }
}

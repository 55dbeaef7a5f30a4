// The sync engine's way into the edge's own registry: a short-lived token the edge signs with its
// own key (the registry trusts only that key), for exactly the repositories it asks. Its subject
// is SYNC_SUBJECT, which is how the edge tells its own writes from its clients' in the registry's
// notifications.
import { importPKCS8, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { pemToDerBase64, type KeyMaterial } from '@/lib/token-service/key-material';
import type { Authorize } from './oci-client';

export const SYNC_SUBJECT = 'canopy-edge-sync';

export function localAuthorize(material: KeyMaterial, issuer: () => string): Authorize {
  let key: CryptoKey | undefined;
  return async (challenge, scopes) => {
    key ??= (await importPKCS8(material.privatePem, 'ES256')) as CryptoKey;
    const access = scopes.map((s) => {
      const [type, ...rest] = s.split(':');
      const actions = rest.pop()!.split(',');
      return { type, name: rest.join(':'), actions };
    });
    const iat = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: material.kid, x5c: [pemToDerBase64(material.certificate)] })
      .setIssuer(issuer())
      .setSubject(SYNC_SUBJECT)
      .setAudience(challenge.service)
      .setIssuedAt(iat)
      .setNotBefore(iat - 5)
      .setExpirationTime(iat + 300)
      .setJti(randomUUID())
      .sign(key);
    return `Bearer ${jwt}`;
  };
}

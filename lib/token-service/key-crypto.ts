// Signing keys' private halves at rest: AES-256-GCM under a key derived from CANOPY_SECRET_KEY
// when it is set; stored as they are otherwise (the README says to set it in production).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

function keyFrom(secret: string): Buffer {
  return createHash('sha256').update(`canopy-signing-key:${secret}`).digest();
}

export function sealPrivateKey(pem: string, secret = process.env.CANOPY_SECRET_KEY): { privateKey: string; encrypted: boolean } {
  if (!secret) return { privateKey: pem, encrypted: false };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { privateKey: ['v1', iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.'), encrypted: true };
}

export function openPrivateKey(stored: { privateKey: string; encrypted: boolean }, secret = process.env.CANOPY_SECRET_KEY): string {
  if (!stored.encrypted) return stored.privateKey;
  if (!secret) throw new Error('The token-service signing key is encrypted: set CANOPY_SECRET_KEY to the value it was created with.');
  const [version, iv, tag, data] = stored.privateKey.split('.');
  if (version !== 'v1') throw new Error('Unknown signing-key encryption format.');
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('CANOPY_SECRET_KEY does not open the token-service signing key (was it changed?).');
  }
}

// Random secrets for access tokens and token passwords, and their verifiers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: 43 characters. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Unsalted SHA-256, for lookups of high-entropy values such as access tokens. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A salted SHA-256 verifier: `sha256$<salt>$<hex>`. Right for random 256-bit secrets. */
export function saltedVerifier(secret: string, salt = randomBytes(16).toString('base64url')): string {
  return `sha256$${salt}$${createHash('sha256').update(`${salt}:${secret}`).digest('hex')}`;
}

export function checkSaltedVerifier(verifier: string, secret: string): boolean {
  const [scheme, salt, expected] = verifier.split('$');
  if (scheme !== 'sha256' || !salt || !expected) return false;
  const actual = saltedVerifier(secret, salt).split('$')[2];
  const a = Buffer.from(actual, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

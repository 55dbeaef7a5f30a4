// Random secrets for access tokens and token passwords, and their verifiers.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: 43 characters. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Unsalted SHA-256, for lookups of high-entropy values such as access tokens. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** A salted SHA-256 verifier: `sha256$<salt>$<hex>`. Right for random 256-bit secrets. */
export function saltedVerifier(secret: string, salt = randomBytes(16).toString('base64url')): string {
  return `sha256$${salt}$${hash('sha256', `${salt}:${secret}`, 'hex')}`;
}

export function checkSaltedVerifier(verifier: string, secret: string): boolean {
  // every token grant checks one: read the verifier in place, compare the digests as bytes;
  // crypto.hash, one call, costs a third of a createHash object's update and digest
  const first = verifier.indexOf('$');
  const second = first < 0 ? -1 : verifier.indexOf('$', first + 1);
  if (second < 0 || verifier.slice(0, first) !== 'sha256') return false;
  const salt = verifier.slice(first + 1, second);
  const third = verifier.indexOf('$', second + 1);
  const expected = verifier.slice(second + 1, third < 0 ? undefined : third);
  if (!salt || !expected) return false;
  const actual = hash('sha256', `${salt}:${secret}`, 'buffer');
  const b = Buffer.from(expected, 'hex');
  return actual.length === b.length && timingSafeEqual(actual, b);
}

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

/**
 * A salted verifier read: the salt with the separator the secret is hashed after, and the
 * digest's bytes. Code that keeps verifiers in memory (the token service's tokens, the gateway's
 * sync tokens, the edge's configuration) reads each once where it keeps the row, and checks the
 * read form on every request: reading it again per grant (three searches, two slices, a hex
 * decode into a new buffer) is work for nothing.
 */
export type ReadVerifier = { saltPrefix: string; digest: Buffer };

/** The verifier read (see ReadVerifier), or null: not a verifier this code reads (it matches no secret). */
export function readSaltedVerifier(verifier: string): ReadVerifier | null {
  const first = verifier.indexOf('$');
  const second = first < 0 ? -1 : verifier.indexOf('$', first + 1);
  if (second < 0 || verifier.slice(0, first) !== 'sha256') return null;
  const salt = verifier.slice(first + 1, second);
  const third = verifier.indexOf('$', second + 1);
  const expected = verifier.slice(second + 1, third < 0 ? undefined : third);
  if (!salt || !expected) return null;
  return { saltPrefix: `${salt}:`, digest: Buffer.from(expected, 'hex') };
}

/** Whether the secret matches a verifier read by readSaltedVerifier (null matches nothing). */
export function checkReadVerifier(read: ReadVerifier | null, secret: string): boolean {
  if (!read) return false;
  // crypto.hash, one call, costs a third of a createHash object's update and digest
  const actual = hash('sha256', read.saltPrefix + secret, 'buffer');
  return actual.length === read.digest.length && timingSafeEqual(actual, read.digest);
}

/** Checks a secret against a verifier it does not keep: reads the verifier and checks it, in one call. */
export function checkSaltedVerifier(verifier: string, secret: string): boolean {
  return checkReadVerifier(readSaltedVerifier(verifier), secret);
}

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

// Verifiers read once: the salt with the separator the secret is hashed after, and the digest's
// bytes (null: not a verifier this code reads). Every token grant checks one, and the token service
// holds its tokens' verifiers in memory anyway; reading each one again per grant (three searches,
// two slices, a hex decode into a new buffer) is work for nothing. Keyed by the stored verifier,
// never by what a client sends: no secret is kept.
type ReadVerifier = { saltPrefix: string; digest: Buffer } | null;
const readVerifiers = new Map<string, ReadVerifier>();

function readVerifier(verifier: string): ReadVerifier {
  const first = verifier.indexOf('$');
  const second = first < 0 ? -1 : verifier.indexOf('$', first + 1);
  if (second < 0 || verifier.slice(0, first) !== 'sha256') return null;
  const salt = verifier.slice(first + 1, second);
  const third = verifier.indexOf('$', second + 1);
  const expected = verifier.slice(second + 1, third < 0 ? undefined : third);
  if (!salt || !expected) return null;
  return { saltPrefix: `${salt}:`, digest: Buffer.from(expected, 'hex') };
}

export function checkSaltedVerifier(verifier: string, secret: string): boolean {
  let read = readVerifiers.get(verifier);
  if (read === undefined) {
    read = readVerifier(verifier);
    if (readVerifiers.size >= 20_000) readVerifiers.clear();
    readVerifiers.set(verifier, read);
  }
  if (!read) return false;
  // crypto.hash, one call, costs a third of a createHash object's update and digest
  const actual = hash('sha256', read.saltPrefix + secret, 'buffer');
  return actual.length === read.digest.length && timingSafeEqual(actual, read.digest);
}

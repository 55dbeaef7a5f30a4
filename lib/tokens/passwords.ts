// Token passwords: 256-bit random values, shown once, stored only as a salted SHA-256 verifier
// (fast to check, and a connected registry can check it offline when the gateway ships it).
import { checkSaltedVerifier, generateSecret, saltedVerifier } from '@/lib/auth/secrets';

export function generateTokenPassword(): { value: string; verifier: string } {
  const value = generateSecret(32);
  return { value, verifier: saltedVerifier(value) };
}

export function verifyTokenPassword(verifier: string, value: string): boolean {
  return checkSaltedVerifier(verifier, value);
}

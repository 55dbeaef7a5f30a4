// Token passwords: 256-bit random values, checked against a salted SHA-256 verifier that
// does not contain them.
import { describe, expect, it } from 'vitest';
import { generateTokenPassword, verifyTokenPassword } from './passwords';
import { PASSWORD_SLOTS } from './schemas';

describe('generateTokenPassword', () => {
  it('yields 43 base64url characters: 32 random bytes, 256 bits', () => {
    const { value } = generateTokenPassword();
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(value, 'base64url')).toHaveLength(32);
  });

  it('yields a different value and a different salt each time', () => {
    const generated = Array.from({ length: 50 }, () => generateTokenPassword());
    expect(new Set(generated.map((p) => p.value)).size).toBe(50);
    expect(new Set(generated.map((p) => p.verifier.split('$')[1])).size).toBe(50);
  });

  it('stores a salted SHA-256 verifier that does not contain the value', () => {
    const { value, verifier } = generateTokenPassword();
    expect(verifier).toMatch(/^sha256\$[A-Za-z0-9_-]{22}\$[0-9a-f]{64}$/);
    expect(verifier).not.toContain(value);
    expect(verifier).not.toContain(value.slice(0, 16));
    expect(verifier).not.toContain(Buffer.from(value, 'base64url').toString('hex'));
  });

  it('names the two slots password1 and password2', () => {
    expect(PASSWORD_SLOTS).toEqual(['password1', 'password2']);
  });
});

describe('verifyTokenPassword', () => {
  it('accepts the generated value', () => {
    const { value, verifier } = generateTokenPassword();
    expect(verifyTokenPassword(verifier, value)).toBe(true);
  });

  it('rejects another password, a changed character, a prefix, an extension and the empty string', () => {
    const { value, verifier } = generateTokenPassword();
    const other = generateTokenPassword();
    const flipped = (value[0] === 'A' ? 'B' : 'A') + value.slice(1);
    for (const wrong of [
      other.value,
      flipped,
      value.slice(0, 42),
      `${value}x`,
      '',
      value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase(),
    ]) {
      expect(verifyTokenPassword(verifier, wrong), wrong).toBe(false);
    }
  });

  it('rejects the value against another password’s verifier (the salt is per password)', () => {
    const a = generateTokenPassword();
    const b = generateTokenPassword();
    expect(verifyTokenPassword(b.verifier, a.value)).toBe(false);
  });

  it('rejects verifiers that are malformed or of another scheme, instead of throwing', () => {
    const { value, verifier } = generateTokenPassword();
    const [, salt, hex] = verifier.split('$');
    for (const bad of [
      '',
      'sha256',
      `sha256$${salt}`,
      `sha256$$${hex}`,
      `md5$${salt}$${hex}`,
      `sha256$${salt}$${hex.slice(0, 10)}`,
      value,
    ]) {
      expect(verifyTokenPassword(bad, value), bad).toBe(false);
    }
  });
});

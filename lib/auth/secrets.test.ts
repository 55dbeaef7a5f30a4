import { describe, expect, it } from 'vitest';
import { checkReadVerifier, checkSaltedVerifier, generateSecret, readSaltedVerifier, saltedVerifier, sha256Hex } from './secrets';

describe('generateSecret', () => {
  it('is 256 random bits as 43 base64url characters', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('differs on every call', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateSecret()));
    expect(secrets.size).toBe(100);
  });
});

describe('sha256Hex', () => {
  it('is the hex SHA-256 of the value', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('salted verifiers', () => {
  it('accept the secret they were made from', () => {
    const secret = generateSecret();
    expect(checkSaltedVerifier(saltedVerifier(secret), secret)).toBe(true);
  });

  it('reject a wrong secret', () => {
    const secret = generateSecret();
    const verifier = saltedVerifier(secret);
    expect(checkSaltedVerifier(verifier, generateSecret())).toBe(false);
    expect(checkSaltedVerifier(verifier, `${secret}x`)).toBe(false);
    expect(checkSaltedVerifier(verifier, '')).toBe(false);
  });

  it('answer alike however often the same verifier is checked, and refuse what is not one', () => {
    const secret = generateSecret();
    const verifier = saltedVerifier(secret);
    for (let i = 0; i < 3; i++) {
      expect(checkSaltedVerifier(verifier, secret)).toBe(true);
      expect(checkSaltedVerifier(verifier, generateSecret())).toBe(false);
    }
    // two verifiers of one secret with different salts are each read for themselves
    expect(checkSaltedVerifier(saltedVerifier(secret, 'other-salt'), secret)).toBe(true);
    expect(checkSaltedVerifier(saltedVerifier(secret, 'other-salt'), `${secret}x`)).toBe(false);
    for (const malformed of ['', 'sha256', 'sha256$salt', 'sha256$$abcd', 'md5$salt$abcd', `sha256$salt$`]) {
      expect(checkSaltedVerifier(malformed, secret)).toBe(false);
      expect(checkSaltedVerifier(malformed, secret)).toBe(false);
    }
  });

  it('read once (as code that keeps them does) check as the verifier itself does', () => {
    const secret = generateSecret();
    const verifier = saltedVerifier(secret, 'the-salt');
    const read = readSaltedVerifier(verifier);
    expect(read).toEqual({ saltPrefix: 'the-salt:', digest: Buffer.from(verifier.split('$')[2], 'hex') });
    for (let i = 0; i < 3; i++) {
      expect(checkReadVerifier(read, secret)).toBe(true);
      expect(checkReadVerifier(read, `${secret}x`)).toBe(false);
      expect(checkReadVerifier(read, '')).toBe(false);
    }
    // another salt, another verifier: the same secret checks against each read apart
    expect(checkReadVerifier(readSaltedVerifier(saltedVerifier(secret)), secret)).toBe(true);
    expect(checkReadVerifier(readSaltedVerifier(saltedVerifier(`${secret}x`)), secret)).toBe(false);
  });

  it('that are malformed read as nothing, which matches no secret', () => {
    const secret = generateSecret();
    const [, salt, hex] = saltedVerifier(secret).split('$');
    for (const malformed of ['', 'garbage', 'sha256', `sha256$${salt}`, `sha256$$${hex}`, `sha256$${salt}$`, `md5$${salt}$${hex}`]) {
      expect(readSaltedVerifier(malformed), malformed).toBeNull();
    }
    expect(checkReadVerifier(null, secret)).toBe(false);
    expect(checkReadVerifier(null, '')).toBe(false);
    // read, but a digest of the wrong length: refused, not thrown (timingSafeEqual wants equal lengths)
    const short = readSaltedVerifier(`sha256$${salt}$${hex.slice(0, 10)}`);
    expect(short).not.toBeNull();
    expect(checkReadVerifier(short, secret)).toBe(false);
  });

  it('do not contain the secret', () => {
    const secret = generateSecret();
    expect(saltedVerifier(secret)).not.toContain(secret);
  });

  it('reject a malformed verifier instead of throwing', () => {
    const secret = generateSecret();
    const [, salt, hex] = saltedVerifier(secret).split('$');
    for (const malformed of [
      '',
      'garbage',
      `md5$${salt}$${hex}`,
      `sha256$$${hex}`,
      `sha256$${salt}$`,
      `sha256$${salt}$${hex.slice(0, 10)}`,
      `sha256$${salt}`,
    ]) {
      expect(checkSaltedVerifier(malformed, secret), malformed).toBe(false);
    }
  });

  it('of the same secret differ, because each has its own salt', () => {
    const secret = generateSecret();
    const a = saltedVerifier(secret);
    const b = saltedVerifier(secret);
    expect(a).not.toBe(b);
    expect(a.split('$')[1]).not.toBe(b.split('$')[1]);
    expect(checkSaltedVerifier(a, secret) && checkSaltedVerifier(b, secret)).toBe(true);
  });

  it('with the same salt are the same (the salt is what makes them differ)', () => {
    expect(saltedVerifier('s', 'salt')).toBe(saltedVerifier('s', 'salt'));
    expect(saltedVerifier('s', 'salt')).toMatch(/^sha256\$salt\$[0-9a-f]{64}$/);
  });
});

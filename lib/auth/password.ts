// Admin passwords: argon2id (slow on purpose: these are human-chosen secrets).
import { hash, verify } from '@node-rs/argon2';

const options = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashAdminPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyAdminPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A hash to verify against when the account does not exist, so that a missing account and a
// wrong password take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyAdminHash(): Promise<string> {
  dummyHash ??= hashAdminPassword('canopy-dummy-password');
  return dummyHash;
}

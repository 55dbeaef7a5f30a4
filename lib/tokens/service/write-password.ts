// Generates a password into a slot (replacing what was there) and returns its value, once.
import 'server-only';
import type { Tx } from '@/lib/db/client';
import { generateTokenPassword } from '../passwords';
import type { PasswordSlotName, RevealedPassword } from '../schemas';

export async function writePassword(tx: Tx, tokenId: string, slot: PasswordSlotName, expiry: Date | null): Promise<RevealedPassword> {
  const { value, verifier } = generateTokenPassword();
  const createdAt = new Date();
  await tx.tokenPassword.upsert({
    where: { tokenId_slot: { tokenId, slot } },
    create: { tokenId, slot, verifier, createdAt, expiry },
    update: { verifier, createdAt, expiry, lastUsedAt: null },
  });
  return { name: slot, value, creationTime: createdAt.toISOString(), expiry: expiry?.toISOString() ?? null };
}

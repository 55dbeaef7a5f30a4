// "Last used" of a token's password slot: written at most once a minute per slot (in this
// process) and never awaited by the request, by the token service and the gateway alike.
import { getDb } from '@/lib/db/client';
import type { PasswordSlotName } from './passwords';

export const LAST_USED_RESOLUTION_MS = 60_000;

const lastWritten = new Map<string, number>();

export function noteSlotUsed(tokenId: string, slot: PasswordSlotName, now = Date.now(), source = 'token service'): void {
  const key = `${tokenId}:${slot}`;
  if ((lastWritten.get(key) ?? 0) > now - LAST_USED_RESOLUTION_MS) return;
  lastWritten.set(key, now);
  if (lastWritten.size > 50_000) lastWritten.clear();
  getDb()
    .tokenPassword.updateMany({ where: { tokenId, slot }, data: { lastUsedAt: new Date(now) } })
    .catch((error) => console.error(`${source}: could not record last use`, error));
}

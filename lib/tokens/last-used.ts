// "Last used" of a token's password slot: written at most once a minute per slot (in this
// process) and never awaited by the request, by the token service and the gateway alike.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { noteDatabaseFailure } from '@/lib/db/outage';
import type { PasswordSlotName } from './schemas';

export const LAST_USED_RESOLUTION_MS = 60_000;

const lastWritten = new Map<string, number>();

export function noteSlotUsed(tokenId: string, slot: PasswordSlotName, now = Date.now(), source = 'token service'): void {
  const key = `${tokenId}:${slot}`;
  if ((lastWritten.get(key) ?? 0) > now - LAST_USED_RESOLUTION_MS) return;
  lastWritten.set(key, now);
  if (lastWritten.size > 50_000) lastWritten.clear();
  write(key, { tokenId, slot, at: now }, source);
}

// Uses the database could not take (an outage): written when it is back, the latest per slot.
type Use = { tokenId: string; slot: PasswordSlotName; at: number };
const pending = new Map<string, Use>();
let retryTimer: NodeJS.Timeout | undefined;

function write(key: string, use: Use, source: string): void {
  getDb()
    // never move a time backwards (a late write after a newer one)
    .tokenPassword.updateMany({
      where: { tokenId: use.tokenId, slot: use.slot, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(use.at) } }] },
      data: { lastUsedAt: new Date(use.at) },
    })
    .catch((error) => {
      if (!noteDatabaseFailure(error)) return console.error(`${source}: could not record last use`, error);
      const held = pending.get(key);
      if (!held || held.at < use.at) pending.set(key, use);
      retryTimer ??= setTimeout(retryPending, 5000).unref();
    });
}

function retryPending(): void {
  retryTimer = undefined;
  const uses = [...pending];
  pending.clear();
  for (const [key, use] of uses) write(key, use, 'last use (written later)');
}

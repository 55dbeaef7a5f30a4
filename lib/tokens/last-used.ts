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

// Uses waiting to be written, the latest per slot: written in batches, one statement and one
// connection at a time, so that thousands of registries asking at once (the gateway's long polls
// come back together after a change, or at the end of their wait) never take the pool's every
// connection from the requests that wait for theirs. Uses the database could not take (an
// outage) are tried again 5 s later.
type Use = { tokenId: string; slot: PasswordSlotName; at: number };
const queued = new Map<string, { use: Use; source: string }>();
const WRITE_BATCH = 1000;
let writing = false;
let retryTimer: NodeJS.Timeout | undefined;

function write(key: string, use: Use, source: string): void {
  const held = queued.get(key);
  if (!held || held.use.at < use.at) queued.set(key, { use, source });
  if (!writing) void writeQueued();
}

async function writeQueued(): Promise<void> {
  writing = true;
  try {
    while (queued.size) {
      // the first WRITE_BATCH uses, without copying the whole queue for each batch
      const batch: [string, { use: Use; source: string }][] = [];
      for (const entry of queued) {
        batch.push(entry);
        if (batch.length === WRITE_BATCH) break;
      }
      for (const [key] of batch) queued.delete(key);
      const uses = batch.map(([, q]) => q.use);
      try {
        // never move a time backwards (a late write after a newer one)
        await getDb().$executeRaw`
          UPDATE "TokenPassword" AS p SET "lastUsedAt" = u.at
          FROM unnest(${uses.map((u) => u.tokenId)}::uuid[], ${uses.map((u) => u.slot)}::text[], ${uses.map((u) => new Date(u.at).toISOString())}::timestamptz[])
            AS u("tokenId", slot, at)
          WHERE p."tokenId" = u."tokenId" AND p.slot::text = u.slot AND (p."lastUsedAt" IS NULL OR p."lastUsedAt" < u.at)`;
      } catch (error) {
        if (!noteDatabaseFailure(error)) {
          console.error(`${batch[0][1].source}: could not record last use`, error);
          continue;
        }
        for (const [key, q] of batch) {
          const held = queued.get(key);
          if (!held || held.use.at < q.use.at) pending.set(key, { use: q.use, source: 'last use (written later)' });
        }
        retryTimer ??= setTimeout(retryPending, 5000).unref();
      }
    }
  } finally {
    writing = false;
  }
}

const pending = new Map<string, { use: Use; source: string }>();

function retryPending(): void {
  retryTimer = undefined;
  const uses = [...pending];
  pending.clear();
  for (const [key, { use, source }] of uses) write(key, use, source);
}

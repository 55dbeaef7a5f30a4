// What a woken long poll reads when its edge asks again, read ahead by the rebuild that wakes it.
// A change concerning a whole cloud registry drops everything the gateway remembers of it (the
// cloud registry's row, the sync tokens, the connected registries: lib/db/last-known.ts); 2,000
// edges woken together would then each read their sync token and registry again (~6 statements
// each, 12,000 in all) while the server is still writing the other answers. Read here in a few
// batched statements beside the rebuild's own, and remembered under the same keys as the reads
// they stand for (lib/gateway/auth.ts, ./caller.ts), they cost the polls none. They are kept only
// if no change was announced while they were read (`changesHeard`), so that a credential disabled
// meanwhile is never answered from memory.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { changesHeard, isKnown, rememberRead } from '@/lib/db/last-known';
import { sameNames } from '@/lib/db/like';
import { syncTokenKey, syncTokenSelect } from './auth';
import { CLOUD_KEY, cloudSelect, registryKey, registrySelect } from './caller';
import type { CloudRef, RegistryRef } from './config-polls';

const BATCH = 1000;

export async function readAheadForPolls(cloud: CloudRef, registries: RegistryRef[], syncTokens: string[]): Promise<void> {
  const heard = changesHeard();
  const db = getDb();
  // only what memory lacks: a change concerning some registries alone dropped their rows alone
  const missingRegistries = registries.filter((r) => !isKnown(cloud.name, registryKey(r.name)));
  const missingTokens = syncTokens.filter((t) => !isKnown(cloud.name, syncTokenKey(t)));
  const [cloudRow, registryRows, tokenRows] = await Promise.all([
    isKnown(cloud.name, CLOUD_KEY) ? null : db.cloudRegistry.findUnique({ where: { id: cloud.id }, select: cloudSelect }),
    inBatches(missingRegistries, (batch) =>
      db.connectedRegistry.findMany({ where: { cloudRegistryId: cloud.id, id: { in: batch.map((r) => r.id) } }, select: registrySelect }),
    ),
    inBatches(missingTokens, (batch) =>
      db.token.findMany({ where: { cloudRegistryId: cloud.id, name: sameNames(batch) }, select: syncTokenSelect }),
    ),
  ]);
  // the gateway asks by the name in the request's path, which is the cloud registry's in any case
  if (cloudRow) rememberRead(cloud.name, CLOUD_KEY, cloudRow, heard);
  for (const row of registryRows) rememberRead(cloud.name, registryKey(row.name), row, heard, row.name.toLowerCase());
  for (const row of tokenRows) rememberRead(cloud.name, syncTokenKey(row.name), row, heard);
}

async function inBatches<I, O>(items: I[], read: (batch: I[]) => Promise<O[]>): Promise<O[]> {
  const rows: O[] = [];
  for (let from = 0; from < items.length; from += BATCH) rows.push(...(await read(items.slice(from, from + BATCH))));
  return rows;
}

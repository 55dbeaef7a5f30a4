// What a woken long poll reads when its edge asks again, read ahead by the rebuild that wakes it.
// A change concerning a whole cloud registry drops everything the gateway remembers of it (the
// cloud registry's row, the sync tokens, the connected registries: lib/db/last-known.ts); 2,000
// edges woken together would then each read their sync token and registry again (~6 statements
// each, 12,000 in all) while the server is still writing the other answers. Read here beside the
// rebuild, sharing its reads (a registry's row, a sync token's scope map and passwords are read
// once for both: ./config-batch.ts), in a few batched statements of their own, and remembered
// under the same keys and in the same shapes as the reads they stand for (keptSyncToken in
// lib/gateway/auth.ts, registryRead in ./caller.ts), they cost the polls none. They are kept only
// if no change was announced while they were read (`changesHeard`), so that a credential disabled
// meanwhile is never answered from memory.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { changesHeard, isKnown, rememberRead } from '@/lib/db/last-known';
import { sameNames } from '@/lib/db/like';
import { keptSyncToken, syncTokenKey } from './auth';
import { CLOUD_KEY, cloudSelect, registryKey, registryRead } from './caller';
import { rebuildReads } from './config-batch';
import type { CloudRef, RegistryRef } from './config-polls';

const BATCH = 1000;

export async function readAheadForPolls(cloud: CloudRef, registries: RegistryRef[], syncTokens: string[]): Promise<void> {
  const heard = changesHeard();
  const db = getDb();
  // the rows the rebuild reads beside it (its registries, scope maps, passwords): read once for both
  const reads = rebuildReads(cloud.id, heard);
  // only what memory lacks: a change concerning some registries alone dropped their rows alone
  const missingRegistries = registries.filter((r) => !isKnown(cloud.name, registryKey(r.name)));
  const missingTokens = syncTokens.filter((t) => !isKnown(cloud.name, syncTokenKey(t)));
  const [cloudRow, , tokenRows] = await Promise.all([
    isKnown(cloud.name, CLOUD_KEY) ? null : db.cloudRegistry.findUnique({ where: { id: cloud.id }, select: cloudSelect }),
    reads.registries.load(missingRegistries.map((r) => r.id)),
    inBatches(missingTokens, (batch) =>
      db.token.findMany({
        where: { cloudRegistryId: cloud.id, name: sameNames(batch) },
        select: { id: true, name: true, status: true, scopeMapId: true, syncRegistry: { select: { name: true } } },
      }),
    ),
  ]);
  await Promise.all([reads.passwords.load(tokenRows.map((t) => t.id)), reads.scopeMaps.load(tokenRows.map((t) => t.scopeMapId))]);
  // the gateway asks by the name in the request's path, which is the cloud registry's in any case
  if (cloudRow) rememberRead(cloud.name, CLOUD_KEY, cloudRow, heard);
  for (const { id } of missingRegistries) {
    const row = reads.registries.get(id);
    if (row?.cloudRegistryId !== cloud.id) continue;
    // remembered as the request's own read (registrySelect) would have it
    rememberRead(cloud.name, registryKey(row.name), registryRead(row), heard, row.name.toLowerCase());
  }
  for (const token of tokenRows) {
    const scopeMap = reads.scopeMaps.get(token.scopeMapId);
    if (!scopeMap) continue;
    // remembered as the request's own read keeps it
    const syncToken = keptSyncToken({ ...token, scopeMap, passwords: reads.passwords.need(token.id) });
    rememberRead(cloud.name, syncTokenKey(token.name), syncToken, heard);
  }
}

async function inBatches<I, O>(items: I[], read: (batch: I[]) => Promise<O[]>): Promise<O[]> {
  const rows: O[] = [];
  for (let from = 0; from < items.length; from += BATCH) rows.push(...(await read(items.slice(from, from + BATCH))));
  return rows;
}

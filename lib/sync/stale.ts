// Which registries' sync is stale: the Overview's count and the syncStale webhook detector
// (which runs in the server process outside Next.js, so no server-only marker here).
import 'server-only';
import { getDb, type Db } from '@/lib/db/client';
import { staleAfterMs } from './rules';

/** The schedules in use by active registries, each with the time before which a last sync is stale. */
export async function staleCutoffs(db: Db, now: Date): Promise<{ schedules: string[]; cutoffs: string[] }> {
  const rows = await db.connectedRegistry.findMany({
    where: { activationStatus: 'Active' },
    distinct: ['syncSchedule'],
    select: { syncSchedule: true },
  });
  return {
    schedules: rows.map((r) => r.syncSchedule),
    cutoffs: rows.map((r) => new Date(now.getTime() - staleAfterMs(r.syncSchedule)).toISOString()),
  };
}

/**
 * Registries whose sync is stale: active, enabled (sync token), and their last successful sync
 * — or, never synced, their activation — older than twice the longest gap between their
 * schedule's triggers (at least 10 minutes).
 */
export async function countStaleRegistries(now = new Date(), db: Db = getDb()): Promise<number> {
  const { schedules, cutoffs } = await staleCutoffs(db, now);
  if (!schedules.length) return 0;
  const [row] = await db.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS "count"
    FROM "ConnectedRegistry" c
    JOIN unnest(${schedules}::text[], ${cutoffs}::timestamptz[]) AS s("schedule", "cutoff") ON s."schedule" = c."syncSchedule"
    JOIN "Token" t ON t."id" = c."syncTokenId"
    WHERE c."activationStatus" = 'Active' AND t."status" = 'enabled'
      AND COALESCE(c."lastSyncTime", c."activatedAt") < s."cutoff"`;
  return Number(row.count);
}

// Sync alerts: io.canopy.connectedRegistry.syncFailed, queued in the transaction that records
// the failed run, and .syncStale, queued by the detector when a registry's last successful sync
// is older than its schedule allows (lib/sync/rules.ts). Ids are derived from the run and from
// the staleness, so a repeated report or a second instance's detector cannot queue one twice.
import 'server-only';
import type { Db, Tx } from '@/lib/db/client';
import type { SyncRunReport } from '@/lib/sync/report';
import { staleCutoffs } from '@/lib/sync/stale';
import { staleAfterMs } from '@/lib/sync/rules';
import { cloudEvent, connectedRegistryLink, connectedRegistrySubject, enabledEndpoints, queueEvents } from './events';
import { conditionEventId } from './rules';

export async function queueSyncFailed(tx: Tx, registry: string, registryId: string, name: string, run: SyncRunReport): Promise<number> {
  const endpoints = await enabledEndpoints(tx, registry);
  if (!endpoints.length) return 0;
  const failedRepositories = run.repositories.filter((r) => r.error).map((r) => ({ name: r.name, error: r.error }));
  const event = cloudEvent(
    registry,
    'io.canopy.connectedRegistry.syncFailed',
    connectedRegistrySubject(name),
    {
      connectedRegistry: { name },
      run: {
        id: run.id,
        kind: run.kind,
        trigger: run.trigger,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        error: run.error,
        failedRepositories: failedRepositories.slice(0, 20),
      },
      link: connectedRegistryLink(registry, name),
    },
    { id: conditionEventId('connectedRegistry.syncFailed', registryId, run.id) },
  );
  return queueEvents(tx, endpoints, [event]);
}

type StaleRow = {
  id: string;
  name: string;
  cloudRegistryId: string;
  registry: string;
  syncSchedule: string;
  lastSyncTime: Date | null;
  since: Date;
};

/**
 * syncStale: once per staleness (the id is made of the registry and the last successful sync
 * — or activation — time it is stale since); a registry that syncs again and goes stale later
 * is a new event. Nothing is reported before `quietUntil`: after Canopy starts or regains its
 * database, edges need the chance to report the runs they could not.
 */
export async function detectSyncStale(
  db: Db,
  now: Date,
  quietUntil: Date,
  endpointsOf: (cloudRegistryId: string) => { id: string; events: string[] }[],
): Promise<number> {
  if (now < quietUntil) return 0;
  const { schedules, cutoffs } = await staleCutoffs(db, now);
  if (!schedules.length) return 0;
  const stale = await db.$queryRaw<StaleRow[]>`
    SELECT c."id", c."name", c."cloudRegistryId", r."name" AS "registry", c."syncSchedule", c."lastSyncTime",
      COALESCE(c."lastSyncTime", c."activatedAt") AS "since"
    FROM "ConnectedRegistry" c
    JOIN unnest(${schedules}::text[], ${cutoffs}::timestamptz[]) AS s("schedule", "cutoff") ON s."schedule" = c."syncSchedule"
    JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
    JOIN "Token" t ON t."id" = c."syncTokenId"
    LEFT JOIN "WebhookRegistryWatch" w ON w."connectedRegistryId" = c."id"
    WHERE c."activationStatus" = 'Active' AND t."status" = 'enabled'
      AND COALESCE(c."lastSyncTime", c."activatedAt") < s."cutoff"
      AND (w."syncStaleSince" IS NULL OR w."syncStaleSince" <> COALESCE(c."lastSyncTime", c."activatedAt"))`;
  let queued = 0;
  for (const r of stale) {
    const event = cloudEvent(
      r.registry,
      'io.canopy.connectedRegistry.syncStale',
      connectedRegistrySubject(r.name),
      {
        connectedRegistry: {
          name: r.name,
          syncSchedule: r.syncSchedule,
          lastSyncTime: r.lastSyncTime?.toISOString() ?? null,
          staleAfterSeconds: staleAfterMs(r.syncSchedule) / 1000,
        },
        link: connectedRegistryLink(r.registry, r.name),
      },
      { id: conditionEventId('connectedRegistry.syncStale', r.id, r.since.toISOString()), time: now },
    );
    // the watch row and the events commit together: a crash between them cannot lose the event
    await db.$transaction(async (tx) => {
      await tx.webhookRegistryWatch.upsert({
        where: { connectedRegistryId: r.id },
        create: { connectedRegistryId: r.id, syncStaleSince: r.since },
        update: { syncStaleSince: r.since },
      });
      queued += await queueEvents(tx, endpointsOf(r.cloudRegistryId), [event]);
    });
  }
  return queued;
}

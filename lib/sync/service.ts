// Sync history use cases: the edge reports its runs (gateway, sync token), an admin asks for a
// run now (Sync now, Contributor). Reports of one registry are serialized by a row lock on it.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Actor } from '@/lib/auth/roles';
import { transaction, type Tx } from '@/lib/db/client';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { authorize, instanceOf, otherInstance } from '@/lib/gateway/caller';
import { MAX_CLOCK_SKEW_MS } from '@/lib/gateway/schemas';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { queueSyncFailed } from '@/lib/webhooks/sync-events';
import { changedNothing, type SyncRunReport } from './report';
import { isAbandoned } from './rules';
import { sameName } from '@/lib/db/like';

/** Rows of history kept per registry (a folded row counts once). */
export const SYNC_HISTORY_ROWS = 50;

type LockedRegistry = { id: string; name: string; activationStatus: string; instanceId: string | null; lastSyncTime: Date | null };

async function lockRegistry(tx: Tx, id: string): Promise<LockedRegistry> {
  const rows = await tx.$queryRaw<LockedRegistry[]>`
    SELECT "id", "name", "activationStatus"::text AS "activationStatus", "instanceId", "lastSyncTime"
    FROM "ConnectedRegistry" WHERE "id" = ${id}::uuid FOR UPDATE`;
  if (!rows.length) throw new NotFoundError('Connected registry');
  return rows[0];
}

function checkTimes(report: SyncRunReport, now: Date) {
  for (const field of ['startedAt', 'endedAt'] as const) {
    const value = report[field];
    if (value && Date.parse(value) > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw ValidationError.field(field, `${field} is in the future: check the registry’s clock.`);
    }
  }
}

function runColumns(report: SyncRunReport, now: Date) {
  return {
    kind: report.kind,
    trigger: report.trigger,
    requestId: report.requestId,
    status: report.status,
    startedAt: new Date(report.startedAt),
    endedAt: report.endedAt ? new Date(report.endedAt) : null,
    reportedAt: now,
    changedNothing: changedNothing(report),
    repositories: report.repositories as unknown as Prisma.InputJsonValue,
    repositoriesTotal: report.repositoriesTotal,
    conflicts: report.conflicts as unknown as Prisma.InputJsonValue,
    conflictCount: Math.max(report.conflictCount ?? 0, report.conflicts.length),
    error: report.error,
  };
}

export type ReportOutcome = 'recorded' | 'folded' | 'ignored';

/**
 * Stores one report of a run. Progress (Running) writes the run's row; the final report
 * completes it — or, for a successful run that changed nothing right after another such run of
 * the same kind, folds it into that row (one more in its count) and drops its own. A report
 * for a run that already ended is ignored (reports may be repeated or arrive late). A finished
 * sync run sets the registry's last sync run status, a successful one its lastSyncTime (the run's
 * end: the edge's clock, never moved back); a finished GC run sets its last GC status (the tree
 * marks a registry when either failed); a failed run of either kind queues syncFailed webhooks in
 * the same transaction.
 */
export async function recordSyncRun(
  registryId: string,
  cloudRegistryName: string,
  report: SyncRunReport,
  now = new Date(),
  instanceId: string | null = null,
): Promise<ReportOutcome> {
  checkTimes(report, now);
  return transaction(async (tx) => {
    const registry = await lockRegistry(tx, registryId);
    // the row lock makes this check final: a deactivation or another deployment waits for it or went first
    if (instanceId && (registry.activationStatus !== 'Active' || (registry.instanceId !== null && registry.instanceId !== instanceId))) {
      throw otherInstance(registry.name, registry.activationStatus === 'Active' ? registry.instanceId : null);
    }
    const existing = await tx.syncRun.findFirst({
      where: { connectedRegistryId: registryId, OR: [{ runId: report.id }, { lastRunId: report.id }] },
      select: { id: true, status: true },
    });
    if (existing && existing.status !== 'Running') return 'ignored';
    const columns = runColumns(report, now);
    let outcome: ReportOutcome = 'recorded';
    if (report.status === 'Running') {
      if (existing) await tx.syncRun.update({ where: { id: existing.id }, data: columns });
      else await tx.syncRun.create({ data: { ...columns, connectedRegistryId: registryId, runId: report.id, lastRunId: report.id } });
    } else {
      const previous = columns.changedNothing
        ? await tx.syncRun.findFirst({
            where: { connectedRegistryId: registryId, runId: { not: report.id }, startedAt: { lte: columns.startedAt } },
            orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
            select: { id: true, status: true, changedNothing: true, kind: true },
          })
        : null;
      if (previous && previous.status === 'Succeeded' && previous.changedNothing && previous.kind === report.kind) {
        await tx.syncRun.update({
          where: { id: previous.id },
          data: {
            runCount: { increment: 1 },
            lastRunId: report.id,
            endedAt: columns.endedAt,
            reportedAt: now,
            // the latest Sync now it answered stays findable (requestSync asks whether it was taken)
            ...(report.requestId ? { requestId: report.requestId } : {}),
            repositories: columns.repositories,
            repositoriesTotal: columns.repositoriesTotal,
          },
        });
        if (existing) await tx.syncRun.delete({ where: { id: existing.id } });
        outcome = 'folded';
      } else if (existing) {
        await tx.syncRun.update({ where: { id: existing.id }, data: columns });
      } else {
        await tx.syncRun.create({ data: { ...columns, connectedRegistryId: registryId, runId: report.id, lastRunId: report.id } });
      }
      if (report.kind === 'sync') {
        const endedAt = columns.endedAt!;
        const newer = report.status === 'Succeeded' && (!registry.lastSyncTime || registry.lastSyncTime < endedAt);
        await tx.connectedRegistry.update({
          where: { id: registryId },
          data: { lastSyncRunStatus: report.status, ...(newer ? { lastSyncTime: endedAt } : {}) },
        });
      } else {
        // a garbage collection is reported like a sync run: its failure marks the registry too,
        // until a later collection succeeds (a sync run's success does not clear it, nor the reverse)
        await tx.connectedRegistry.update({ where: { id: registryId }, data: { lastGcRunStatus: report.status } });
      }
      if (report.status === 'Failed') await queueSyncFailed(tx, cloudRegistryName, registryId, registry.name, report);
    }
    if (outcome === 'recorded') await trimHistory(tx, registryId);
    return outcome;
  });
}

async function trimHistory(tx: Tx, registryId: string) {
  await tx.$executeRaw`
    DELETE FROM "SyncRun" WHERE "id" IN (
      SELECT "id" FROM "SyncRun" WHERE "connectedRegistryId" = ${registryId}::uuid
      ORDER BY "startedAt" DESC, "id" DESC OFFSET ${SYNC_HISTORY_ROWS})`;
}

/**
 * POST …/sync-runs: the edge reports a run (progress or end) with its sync token. The caller is
 * authenticated before the body is read; only the registry's active deployment (or an ancestor
 * relaying for it, which may leave the instance out) speaks for it.
 */
export async function reportSyncRun(
  headers: Headers,
  registryName: string,
  name: string,
  readBody: () => Promise<SyncRunReport>,
  now = new Date(),
) {
  const { cloud, registry, caller } = await authorize(headers, registryName, name, ['config/write', 'message/write'], now);
  const instanceId = instanceOf(headers, caller, registry);
  const report = await readBody();
  return { outcome: await recordSyncRun(registry.id, cloud.name, report, now, instanceId) };
}

export type SyncRequestResult = { requestId: string; requestedAt: string; alreadyRequested: boolean };

/** How long a Sync now waits for the edge to take it before another request gets a new id. */
export const SYNC_REQUEST_PENDING_MS = 10 * 60_000;

/**
 * Sync now: stores a request the registry's configuration serves as `syncRequest` (the change
 * is announced, so the edge's config long poll answers within moments). A request the edge has
 * not taken yet is answered again (same id) rather than doubled; while a run is in progress
 * (reported within the last 5 minutes) a new one is refused (409 sync_in_progress).
 */
export async function requestSync(actor: Actor, registryName: string, name: string, now = new Date()): Promise<SyncRequestResult> {
  // the registry's row lock serializes it with the edge's reports; the cloud registry's lock is not needed
  return withCloudRegistry(
    actor,
    'Contributor',
    registryName,
    async (tx, cloud, audit) => {
      const target = await tx.connectedRegistry.findFirst({
        where: { cloudRegistryId: cloud.id, name: sameName(name) },
        select: { id: true },
      });
      if (!target) throw new NotFoundError(`Connected registry "${name}"`);
      await lockRegistry(tx, target.id);
      const current = await tx.connectedRegistry.findUniqueOrThrow({
        where: { id: target.id },
        select: { name: true, activationStatus: true, syncRequestId: true, syncRequestedAt: true, syncToken: { select: { status: true } } },
      });
      if (current.syncToken.status === 'disabled') {
        throw new ConflictError(
          `${current.name} is disabled (its sync token is disabled): enable it before asking it to sync.`,
          [],
          'registry_disabled',
        );
      }
      const running = await tx.syncRun.findFirst({
        where: { connectedRegistryId: target.id, status: 'Running', kind: 'sync' },
        orderBy: { startedAt: 'desc' },
        select: { runId: true, startedAt: true, reportedAt: true, status: true },
      });
      if (running && !isAbandoned(running, now)) {
        throw new ConflictError(
          `${current.name} is already syncing (run ${running.runId}, started ${running.startedAt.toISOString()}).`,
          [],
          'sync_in_progress',
        );
      }
      if (current.syncRequestId && current.syncRequestedAt && now.getTime() - current.syncRequestedAt.getTime() < SYNC_REQUEST_PENDING_MS) {
        const taken = await tx.syncRun.findFirst({
          where: { connectedRegistryId: target.id, requestId: current.syncRequestId },
          select: { id: true },
        });
        if (!taken) return { requestId: current.syncRequestId, requestedAt: current.syncRequestedAt.toISOString(), alreadyRequested: true };
      }
      const requestId = randomUUID();
      await tx.connectedRegistry.update({ where: { id: target.id }, data: { syncRequestId: requestId, syncRequestedAt: now } });
      // the request is in its own configuration alone
      await audit('connectedRegistry.syncNow', current.name, { requestId, activationStatus: current.activationStatus }, [current.name]);
      return { requestId, requestedAt: now.toISOString(), alreadyRequested: false };
    },
    { lock: false },
  );
}

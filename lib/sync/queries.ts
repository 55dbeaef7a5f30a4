// Reads of sync history: a registry's runs (REST and the portal).
import 'server-only';
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
import { getDb, type Db, type Tx } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import { runTotals, type RepositoryReport, type SyncConflict } from './report';
import { isAbandoned } from './rules';
import { syncRunCursor, type ListSyncRunsQuery, type SyncRunDto } from './schemas';
import { sameName } from '@/lib/db/like';

const runSelect = {
  id: true,
  runId: true,
  lastRunId: true,
  runCount: true,
  kind: true,
  trigger: true,
  requestId: true,
  status: true,
  startedAt: true,
  endedAt: true,
  reportedAt: true,
  repositories: true,
  repositoriesTotal: true,
  conflicts: true,
  conflictCount: true,
  error: true,
} as const;

type RunRow = {
  id: string;
  runId: string;
  lastRunId: string;
  runCount: number;
  kind: SyncRunDto['kind'];
  trigger: SyncRunDto['trigger'];
  requestId: string | null;
  status: SyncRunDto['status'];
  startedAt: Date;
  endedAt: Date | null;
  reportedAt: Date;
  repositories: unknown;
  repositoriesTotal: number | null;
  conflicts: unknown;
  conflictCount: number;
  error: string | null;
};

function toDto(row: RunRow, now: Date): SyncRunDto {
  const repositories = (Array.isArray(row.repositories) ? row.repositories : []) as RepositoryReport[];
  return {
    id: row.runId,
    lastRunId: row.lastRunId,
    runCount: row.runCount,
    kind: row.kind,
    trigger: row.trigger,
    requestId: row.requestId,
    status: row.status,
    abandoned: isAbandoned(row, now),
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    reportedAt: row.reportedAt.toISOString(),
    repositories,
    repositoriesTotal: row.repositoriesTotal,
    totals: runTotals({ repositories }),
    conflicts: (Array.isArray(row.conflicts) ? row.conflicts : []) as SyncConflict[],
    conflictCount: row.conflictCount,
    error: row.error,
  };
}

async function registryId(db: Db | Tx, registryName: string, name: string): Promise<string> {
  const row = await db.connectedRegistry.findFirst({
    where: { cloudRegistry: { name: sameName(registryName) }, name: sameName(name) },
    select: { id: true },
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return row.id;
}

/** GET CR/sync-runs: the registry's runs, newest first, `{items, next}`. */
export async function listSyncRuns(
  registryName: string,
  name: string,
  query: ListSyncRunsQuery,
  now = new Date(),
): Promise<Page<SyncRunDto>> {
  const db = getDb();
  const id = await registryId(db, registryName, name);
  const after = decodeCursor(syncRunCursor, query.cursor);
  const rows = await db.syncRun.findMany({
    where: {
      connectedRegistryId: id,
      ...(query.status ? { status: query.status } : {}),
      ...(after
        ? { OR: [{ startedAt: { lt: new Date(after.startedAt) } }, { startedAt: new Date(after.startedAt), id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: runSelect,
  });
  return toPage(
    rows,
    query.limit,
    (r) => ({ startedAt: r.startedAt.toISOString(), id: r.id }),
    (r) => toDto(r, now),
  );
}

// Inputs of the sync-history API (REST query, cursor) and the DTO shapes for its OpenAPI document.
import { z } from 'zod';
import { pageQuery } from '@/lib/api/pagination';
import { SYNC_RUN_KINDS, SYNC_RUN_STATUSES, SYNC_TRIGGERS, directionCounts, repositoryReport, syncConflict } from './report';

export const listSyncRunsQuery = pageQuery.extend({ status: z.enum(SYNC_RUN_STATUSES).optional() }).strict();
export type ListSyncRunsQuery = z.infer<typeof listSyncRunsQuery>;

export const syncRunCursor = z.object({ startedAt: z.iso.datetime(), id: z.uuid() }).strict();

const counts = directionCounts.required();

/** One row of a registry's sync history, as GET CR/sync-runs answers it. */
export const syncRunDto = z.object({
  id: z.string().describe('The edge’s run id (of the first run, for folded rows)'),
  lastRunId: z.string().describe('The last run folded into this row (= id when runCount is 1)'),
  runCount: z.number().describe('Consecutive runs that changed nothing share one row: how many'),
  kind: z.enum(SYNC_RUN_KINDS).describe('sync, or gc (garbage collection, reported like a sync run)'),
  trigger: z.enum(SYNC_TRIGGERS),
  requestId: z.string().nullable().describe('The Sync now request it answered'),
  status: z.enum(SYNC_RUN_STATUSES),
  abandoned: z.boolean().describe('Running, but no report for 5 minutes: the edge stopped mid-run'),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  reportedAt: z.string().describe('When its last report arrived'),
  repositories: z
    .array(repositoryReport.required())
    .describe('Per repository: tags, deleted tags, blobs and bytes copied down (parent → edge) and up, and its error'),
  repositoriesTotal: z.number().nullable(),
  totals: z.object({ down: counts, up: counts }),
  conflicts: z.array(syncConflict.required()),
  conflictCount: z.number(),
  error: z.string().nullable().describe('The run’s last error'),
});
export type SyncRunDto = z.infer<typeof syncRunDto>;

export const syncRequestDto = z.object({
  requestId: z.string().describe('Served to the edge as syncRequest.id in its configuration; its run reports it as requestId'),
  requestedAt: z.string(),
  alreadyRequested: z.boolean().describe('true: an earlier request the edge has not taken yet, answered again'),
});

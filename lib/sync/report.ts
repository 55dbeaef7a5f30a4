// The sync-run report: what Canopy Edge tells Canopy about each sync (or garbage-collection) run,
// over `POST /gateway/v1/registries/{registry}/connected-registries/{name}/sync-runs` with its
// sync token. Shared by both sides, so it is pure: zod only, no database, no Next.js (the edge
// bundles it).
//
// One run, many reports: while a run goes the edge posts progress (status `Running`, the counts
// so far) — at most every few seconds — and at its end one final report (`Succeeded`, `Failed`
// or `Stopped`) with the same `id`. Counts are totals since the run's start, never deltas, so a
// report repeated or lost costs nothing. A report for a run that already ended is ignored.
//
// "Sync now" reaches the edge through its configuration (the gateway config long poll): the
// document carries `syncRequest: {id, requestedAt}` (null until someone asks). An edge that sees
// an id it has not handled yet starts a run with `trigger: "now"` and `requestId: <that id>`,
// whatever the schedule and window; while a run is in progress it starts none (Canopy refuses a
// new request then). Remember the last handled id in the data dir: the document keeps serving
// the latest request after it was handled.
import { z } from 'zod';

export const SYNC_RUN_STATUSES = ['Running', 'Succeeded', 'Failed', 'Stopped'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];
/** Final statuses: the run is over. `Stopped`: the sync window ended (or the edge shut down) mid-run. */
export const FINAL_SYNC_RUN_STATUSES = ['Succeeded', 'Failed', 'Stopped'] as const satisfies readonly SyncRunStatus[];

/**
 * `schedule`: the cron `syncSchedule` (or the GC schedule) triggered it; `now`: a Sync now request;
 * `push`: a client pushed to a ReadWrite edge and the registry's event started a run of those
 * repositories (added after the issue's `schedule`/`now`: such a run is neither).
 */
export const SYNC_TRIGGERS = ['schedule', 'now', 'push'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** `sync`: content copied with the parent; `gc`: the edge's registry garbage-collected (reported like a sync run). */
export const SYNC_RUN_KINDS = ['sync', 'gc'] as const;

/** A run's repositories: a scope map grants at most 500. */
export const MAX_REPORTED_REPOSITORIES = 500;
/** Conflicts listed in one report; `conflictCount` counts them all. */
export const MAX_REPORTED_CONFLICTS = 100;
export const MAX_ERROR_LENGTH = 2000;
/** How large a report's JSON may be (the gateway refuses more, unread, with 413). */
export const MAX_SYNC_REPORT_BYTES = 256 * 1024;
/** How often, at most, an edge should post progress while a run goes. */
export const PROGRESS_INTERVAL_SECONDS = 5;
/**
 * A `Running` run with no report for this long is taken as abandoned (the edge died mid-run):
 * Canopy shows it as such and lets Sync now start another.
 */
export const ABANDONED_RUN_SECONDS = 5 * 60;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const isoTime = z.iso.datetime({ offset: true });
/** Ids are made by the edge (a UUID is fine): letters, digits, `.`, `_`, `-`. */
export const syncRunId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A run id is letters, digits, ".", "_" and "-".');

/** What moved in one direction during the run, totals so far. */
export const directionCounts = z
  .object({
    /** tags created or moved to another digest */
    tags: count.default(0),
    /** tags deleted (they were deleted on the other side) */
    tagsDeleted: count.default(0),
    /** blobs and manifests copied (already present ones are not counted) */
    blobs: count.default(0),
    bytes: count.default(0),
  })
  .strict();
export type DirectionCounts = z.infer<typeof directionCounts>;

export const repositoryReport = z
  .object({
    name: z.string().min(1).max(256),
    /** parent → edge */
    down: directionCounts.default({ tags: 0, tagsDeleted: 0, blobs: 0, bytes: 0 }),
    /** edge → parent (ReadWrite registries) */
    up: directionCounts.default({ tags: 0, tagsDeleted: 0, blobs: 0, bytes: 0 }),
    /** the repository's last error in this run, when it failed */
    error: z.string().max(MAX_ERROR_LENGTH).nullable().default(null),
  })
  .strict();
export type RepositoryReport = z.infer<typeof repositoryReport>;

/**
 * The same tag changed on both sides since the last run: the parent's wins at the edge, the
 * edge's is kept there under `keptAs` (`<tag>-edge-<short digest>`).
 */
export const syncConflict = z
  .object({
    repository: z.string().min(1).max(256),
    tag: z.string().min(1).max(128),
    parentDigest: z.string().max(100),
    edgeDigest: z.string().max(100),
    keptAs: z.string().max(200).nullable().default(null),
  })
  .strict();
export type SyncConflict = z.infer<typeof syncConflict>;

export const syncRunReport = z
  .object({
    id: syncRunId,
    kind: z.enum(SYNC_RUN_KINDS).default('sync'),
    trigger: z.enum(SYNC_TRIGGERS),
    /** the Sync now request (`syncRequest.id` of the configuration) this run answers */
    requestId: z.string().min(1).max(100).nullable().default(null),
    status: z.enum(SYNC_RUN_STATUSES),
    startedAt: isoTime,
    /** absent (or null) while `Running`, required once the run is over */
    endedAt: isoTime.nullable().default(null),
    repositories: z.array(repositoryReport).max(MAX_REPORTED_REPOSITORIES).default([]),
    /** how many repositories the run covers; with `repositories.length` it gives the progress */
    repositoriesTotal: count.max(MAX_REPORTED_REPOSITORIES).nullable().default(null),
    conflicts: z.array(syncConflict).max(MAX_REPORTED_CONFLICTS).default([]),
    /** every conflict of the run, also those past the list's limit */
    conflictCount: count.nullable().default(null),
    /** the run's last error (required when `Failed`) */
    error: z.string().max(MAX_ERROR_LENGTH).nullable().default(null),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.status === 'Running' && r.endedAt) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'A Running run has no endedAt yet.' });
    }
    if (r.status !== 'Running' && !r.endedAt) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: `A ${r.status} run needs its endedAt.` });
    }
    if (r.endedAt && Date.parse(r.endedAt) < Date.parse(r.startedAt)) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'endedAt is before startedAt.' });
    }
    if (r.status === 'Failed' && !r.error) {
      ctx.addIssue({ code: 'custom', path: ['error'], message: 'A Failed run carries its error.' });
    }
    if (r.trigger === 'now' && !r.requestId) {
      ctx.addIssue({ code: 'custom', path: ['requestId'], message: 'A run triggered by Sync now names its request (requestId).' });
    }
    const names = new Set<string>();
    r.repositories.forEach((repo, i) => {
      if (names.has(repo.name))
        ctx.addIssue({ code: 'custom', path: ['repositories', i, 'name'], message: `${repo.name} is reported twice.` });
      names.add(repo.name);
    });
  });

/** What the edge sends (defaults may be left out). */
export type SyncRunReportInput = z.input<typeof syncRunReport>;
/** What Canopy reads, defaults filled in. */
export type SyncRunReport = z.output<typeof syncRunReport>;

export function isFinal(status: SyncRunStatus): boolean {
  return status !== 'Running';
}

/** The run's totals over all repositories, per direction. */
export function runTotals(report: Pick<SyncRunReport, 'repositories'>): { down: DirectionCounts; up: DirectionCounts } {
  const zero = (): DirectionCounts => ({ tags: 0, tagsDeleted: 0, blobs: 0, bytes: 0 });
  const totals = { down: zero(), up: zero() };
  for (const repo of report.repositories) {
    for (const dir of ['down', 'up'] as const) {
      for (const key of ['tags', 'tagsDeleted', 'blobs', 'bytes'] as const) totals[dir][key] += repo[dir][key];
    }
  }
  return totals;
}

/**
 * A run that succeeded and changed nothing: no tag or blob moved either way, no conflict, no
 * error. Consecutive such runs are folded into one row of the history.
 */
export function changedNothing(report: Pick<SyncRunReport, 'status' | 'repositories' | 'conflicts' | 'conflictCount' | 'error'>): boolean {
  if (report.status !== 'Succeeded' || report.error || report.conflicts.length || report.conflictCount) return false;
  const { down, up } = runTotals(report);
  return [down, up].every((d) => d.tags === 0 && d.tagsDeleted === 0 && d.blobs === 0 && d.bytes === 0);
}

/** `syncRequest` of the gateway configuration: the latest Sync now, or null. */
export const syncRequest = z.object({ id: z.string().min(1).max(100), requestedAt: isoTime }).nullable();
export type SyncRequest = z.infer<typeof syncRequest>;

// When the edge syncs, and what it tells Canopy about it. Runs start on the cron `syncSchedule`
// (UTC) and stop at the end of the `syncWindow` after their trigger (no window: each run goes to
// completion); a Sync now request (`syncRequest` in the configuration, brought by the long poll)
// starts one at once, whatever the schedule. One run at a time: a trigger that comes during a
// run is skipped, a Sync now request waits for the run in progress to end. Garbage collection
// follows `garbageCollection` ({enabled, schedule}): between runs, the registry read-only, and is
// reported like a run (kind `gc`).
//
// Each run is reported to the gateway (`POST …/sync-runs`, with the sync token): progress every
// few seconds while it goes (status Running, totals so far), then its end. A final report that
// cannot be sent is kept in the data dir and sent when the upstream answers again.
import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import { durationSeconds } from '@/lib/registries/rules';
import {
  MAX_ERROR_LENGTH,
  MAX_REPORTED_CONFLICTS,
  PROGRESS_INTERVAL_SECONDS,
  type SyncRequest,
  type SyncRunReport as SharedReport,
  type SyncTrigger,
} from '@/lib/sync/report';
import type { EdgeConfig } from '../config';
import type { DataDir } from '../data-dir';
import type { Logger } from '../log';
import { UploadSessions, type UploadSession } from './blob-copy';
import { SyncRun } from './engine';
import type { RegistryClient } from './oci-client';
import { PushHints, type NotificationTarget } from './push-hints';
import { DataDirStateStore } from './state';
import { sleep } from './work';

/** What the edge posts to `…/sync-runs`: lib/sync/report.ts's syncRunReport, every field given. */
export type SyncRunReport = SharedReport;

const PROGRESS_INTERVAL_MS = PROGRESS_INTERVAL_SECONDS * 1000;
const MAX_QUEUED_REPORTS = 200;
const FILE = 'sync-runs.json';
/** upload sessions of blobs cut off mid-copy (blob-copy.ts), resumed by the next run, also after a restart */
const UPLOADS_FILE = 'sync-uploads.json';

type Kept = { lastSuccess: string | null; handledRequestId: string | null; queued: SyncRunReport[] };

export type Post = (report: SyncRunReport) => Promise<'sent' | 'refused' | 'unreachable'>;

export type SyncDeps = {
  dataDir: DataDir;
  log: Logger;
  config: () => EdgeConfig | null;
  /** clients for the parent's registry and the edge's own, made for each run */
  clients: (config: EdgeConfig) => { parent: RegistryClient; edge: RegistryClient };
  post: Post;
  /** blobs copied at once */
  concurrency: number;
  /** garbage collection of the edge's registry (read-only around it); resolves with a summary */
  collectGarbage?: (signal: AbortSignal) => Promise<string>;
  /** told when a run starts or ends (status reports say Syncing) */
  onRunning?: (running: boolean) => void;
  /** whether the upstream answers now (a push hint runs only then) */
  online?: () => boolean;
};

/** A push hint waits this long for more pushes before its run starts. */
export const HINT_DELAY_MS = 1000;

/** The next time the cron expression fires after `after`, in UTC; null when it cannot be read. */
export function nextTrigger(schedule: string, after: Date): Date | null {
  try {
    return CronExpressionParser.parse(schedule, { currentDate: after, tz: 'UTC' }).next().toDate();
  } catch {
    return null;
  }
}

const clip = (text: string | null) => (text && text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text);

export class EdgeSync {
  private kept: Kept;
  private current: { report: SyncRunReport; abort: AbortController; done: Promise<void> } | null = null;
  private readonly stopping = new AbortController();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private lastScheduleTrigger: number | null = null;
  private lastGcTrigger: number | null = null;
  private flushing = false;
  private readonly hinted = new Set<string>();
  private hintAt = 0;
  private hints: PushHints | null = null;
  private readonly uploads: UploadSessions;

  constructor(private readonly deps: SyncDeps) {
    this.uploads = new UploadSessions(deps.dataDir.readJson<Record<string, UploadSession>>(UPLOADS_FILE), (sessions) =>
      deps.dataDir.writeJson(UPLOADS_FILE, sessions),
    );
    const kept = deps.dataDir.readJson<Kept>(FILE);
    this.kept = {
      lastSuccess: kept?.lastSuccess ?? null,
      handledRequestId: kept?.handledRequestId ?? null,
      queued: Array.isArray(kept?.queued) ? kept.queued : [],
    };
  }

  /** The end of the last successful sync run (the edge owns lastSyncTime). */
  get lastSuccess(): string | null {
    return this.kept.lastSuccess;
  }

  get running(): boolean {
    return this.current !== null;
  }

  get queuedReports(): number {
    return this.kept.queued.length;
  }

  private save() {
    this.deps.dataDir.writeJson(FILE, this.kept);
  }

  start() {
    this.loop ??= this.schedule();
  }

  /** Listens on loopback for the registry's push events; the registry is told to post them there. */
  async listenForPushes(): Promise<NotificationTarget> {
    this.hints ??= new PushHints((repositories) => this.hint(repositories));
    return this.hints.target ?? (await this.hints.start());
  }

  /**
   * Tags were pushed to the edge by a client: a ReadWrite edge copies them up within seconds
   * (a run of those repositories, reported with trigger `push`) when the upstream answers.
   */
  hint(repositories: string[]) {
    const config = this.deps.config();
    if (!config || config.mode !== 'ReadWrite') return;
    for (const r of repositories) if (config.repositories.includes(r)) this.hinted.add(r);
    if (!this.hinted.size) return;
    this.hintAt = Date.now();
    this.deps.log.debug('sync.hint', `pushed at the edge: ${[...this.hinted].join(', ')}`);
    this.wake?.();
  }

  /** The configuration changed: a new Sync now request, schedule or window takes effect at once. */
  configChanged() {
    this.wake?.();
  }

  private pendingRequest(config: EdgeConfig): SyncRequest {
    const request = config.syncRequest ?? null;
    return request && typeof request.id === 'string' && request.id !== this.kept.handledRequestId ? request : null;
  }

  private async schedule() {
    const signal = this.stopping.signal;
    const now = Date.now();
    this.lastScheduleTrigger = now;
    this.lastGcTrigger = now;
    while (!signal.aborted) {
      const config = this.deps.config();
      if (!config) {
        await this.nap(1000);
        continue;
      }
      const request = this.pendingRequest(config);
      if (request) {
        this.kept.handledRequestId = request.id;
        this.save();
        this.deps.log.info('sync.requested', `Sync now (${request.id}, asked ${request.requestedAt})`);
        await this.runSync(config, 'now', request.id, Date.now());
        continue;
      }
      if (this.hinted.size && config.mode === 'ReadWrite' && (this.deps.online?.() ?? true)) {
        const wait = this.hintAt + HINT_DELAY_MS - Date.now();
        if (wait > 0) {
          await this.nap(wait);
          continue;
        }
        const repositories = config.repositories.filter((r) => this.hinted.has(r));
        this.hinted.clear();
        if (repositories.length) await this.runSync({ ...config, repositories }, 'push', null, Date.now());
        continue;
      }
      const nextSync = nextTrigger(config.syncSchedule, new Date(this.lastScheduleTrigger!))?.getTime() ?? Infinity;
      const gc = config.garbageCollection;
      const nextGc =
        gc?.enabled && gc.schedule && this.deps.collectGarbage
          ? (nextTrigger(gc.schedule, new Date(this.lastGcTrigger!))?.getTime() ?? Infinity)
          : Infinity;
      const due = Math.min(nextSync, nextGc);
      if (due > Date.now()) {
        await this.nap(Math.min(due - Date.now(), 60_000));
        continue;
      }
      if (nextGc <= nextSync) {
        await this.collectGarbageNow();
        this.lastGcTrigger = Date.now();
      } else {
        await this.runSync(config, 'schedule', null, nextSync);
        // a trigger missed while the run went on is skipped, not caught up
        this.lastScheduleTrigger = Date.now();
      }
    }
  }

  private nap(ms: number) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      if (this.stopping.signal.aborted) done();
    });
  }

  private newReport(kind: 'sync' | 'gc', trigger: SyncTrigger, requestId: string | null, total: number | null): SyncRunReport {
    return {
      id: randomUUID(),
      kind,
      trigger,
      requestId,
      status: 'Running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      repositories: [],
      repositoriesTotal: total,
      conflicts: [],
      conflictCount: null,
      error: null,
    };
  }

  /**
   * One sync run, reported. The window counts from the trigger: a run that reaches its end
   * stops cleanly (Stopped) and the next trigger resumes the work.
   */
  async runSync(config: EdgeConfig, trigger: SyncTrigger, requestId: string | null, triggeredAt: number): Promise<SyncRunReport> {
    const report = this.newReport('sync', trigger, requestId, config.repositories.length);
    for (const r of config.repositories) this.hinted.delete(r);
    const abort = new AbortController();
    const windowSeconds = config.syncWindow ? durationSeconds(config.syncWindow) : null;
    const windowTimer = windowSeconds
      ? setTimeout(() => abort.abort(), Math.max(0, triggeredAt + windowSeconds * 1000 - Date.now()))
      : null;
    const onStop = () => abort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const { parent, edge } = this.deps.clients(config);
    const log = this.deps.log;
    log.info('sync.start', `sync run ${report.id} (${trigger}) of ${config.repositories.length} repositories`, {
      run: report.id,
      window: config.syncWindow ?? undefined,
    });
    const run = new SyncRun(
      parent,
      edge,
      new DataDirStateStore(this.deps.dataDir),
      { mode: config.mode, repositories: config.repositories, concurrency: this.deps.concurrency, uploads: this.uploads },
      abort.signal,
      () => this.progress(report, run),
      (error, attempt) =>
        log.warn('sync.retry', `attempt ${attempt} failed, trying again: ${(error as Error).message}`, { run: report.id }),
    );
    let finished!: () => void;
    this.current = { report, abort, done: new Promise((r) => (finished = r)) };
    this.deps.onRunning?.(true);
    void this.send(report);
    try {
      const outcome = await run.run();
      report.status = outcome.status;
      report.error = clip(
        outcome.error ?? (outcome.status === 'Stopped' ? (this.stopping.signal.aborted ? 'The edge stopped during the run.' : null) : null),
      );
      if (report.status === 'Failed' && !report.error) report.error = 'The run failed.';
    } catch (error) {
      report.status = abort.signal.aborted ? 'Stopped' : 'Failed';
      report.error = clip((error as Error).message);
    } finally {
      if (windowTimer) clearTimeout(windowTimer);
      this.stopping.signal.removeEventListener('abort', onStop);
      parent.close();
      edge.close();
      this.fill(report, run);
      report.endedAt = new Date().toISOString();
      if (report.status === 'Succeeded') this.kept.lastSuccess = report.endedAt;
      this.save();
      this.current = null;
      this.deps.onRunning?.(false);
      finished();
    }
    const moved = report.repositories.reduce((n, r) => n + r.down.tags + r.up.tags + r.down.tagsDeleted, 0);
    const line = `sync run ${report.id} ${report.status}: ${moved} tags changed, ${report.conflicts.length} conflicts${report.error ? `; ${report.error}` : ''}`;
    if (report.status === 'Failed') log.error('sync.end', line, { run: report.id });
    else log.info('sync.end', line, { run: report.id });
    await this.finalReport(report);
    return report;
  }

  private fill(report: SyncRunReport, run: SyncRun) {
    report.repositories = run.progress.repositories.map((r) => ({ ...r, down: { ...r.down }, up: { ...r.up }, error: clip(r.error) }));
    report.conflicts = run.progress.conflicts.slice(0, MAX_REPORTED_CONFLICTS);
    report.conflictCount = run.progress.conflicts.length;
  }

  private lastProgress = 0;
  private progressTimer: NodeJS.Timeout | null = null;
  private progress(report: SyncRunReport, run: SyncRun) {
    this.fill(report, run);
    if (this.progressTimer) return;
    const wait = Math.max(0, this.lastProgress + PROGRESS_INTERVAL_MS - Date.now());
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      if (report.status !== 'Running') return;
      this.lastProgress = Date.now();
      void this.send(report);
    }, wait);
  }

  private async send(report: SyncRunReport): Promise<'sent' | 'refused' | 'unreachable'> {
    try {
      return await this.deps.post(structuredClone(report));
    } catch (error) {
      this.deps.log.warn('sync.report', `cannot report run ${report.id}: ${(error as Error).message}`);
      return 'unreachable';
    }
  }

  private async finalReport(report: SyncRunReport) {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    const sent = await this.send(report);
    if (sent !== 'unreachable' && this.kept.queued.length) void this.flush(); // the upstream answers: the older ones too
    if (sent === 'unreachable') {
      this.kept.queued.push(structuredClone(report));
      if (this.kept.queued.length > MAX_QUEUED_REPORTS) this.kept.queued.splice(0, this.kept.queued.length - MAX_QUEUED_REPORTS);
      this.save();
      this.deps.log.info('sync.report.queued', `run ${report.id} will be reported when the upstream answers`, {
        queued: this.kept.queued.length,
      });
    }
  }

  /** Sends the final reports that could not be sent; called when the upstream answers again. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.kept.queued.length) {
        if ((await this.send(this.kept.queued[0])) === 'unreachable') return;
        this.kept.queued.shift();
        this.save();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** One garbage collection, reported as a run of kind `gc` (the scheduler calls it on `garbageCollection.schedule`). */
  async collectGarbageNow(): Promise<SyncRunReport> {
    const report = this.newReport('gc', 'schedule', null, null);
    await this.current?.done; // never while a sync run goes
    const abort = new AbortController();
    let finished!: () => void;
    this.current = { report, abort, done: new Promise((r) => (finished = r)) };
    this.deps.onRunning?.(true);
    this.deps.log.info('gc.start', `garbage collection ${report.id}: the registry is read-only meanwhile`, { run: report.id });
    void this.send(report);
    try {
      const summary = await this.deps.collectGarbage!(abort.signal);
      report.status = 'Succeeded';
      this.deps.log.info('gc.end', `garbage collection ${report.id} Succeeded: ${summary}`, { run: report.id });
    } catch (error) {
      report.status = 'Failed';
      report.error = clip(`Garbage collection failed: ${(error as Error).message}`);
      this.deps.log.error('gc.end', report.error!, { run: report.id });
    } finally {
      report.endedAt = new Date().toISOString();
      this.current = null;
      this.deps.onRunning?.(false);
      finished();
    }
    await this.finalReport(report);
    return report;
  }

  /** Stops the loop and the run in progress (reported Stopped). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.hints?.stop();
    await this.current?.done;
    await Promise.race([this.loop, sleep(5000)]);
  }
}

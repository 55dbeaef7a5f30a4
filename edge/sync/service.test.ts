// When the edge syncs and what it reports, with the edge's own pieces (its data dir, its
// supervised docker-registry trusting its key) and the configuration document Canopy serves:
// Sync now starts one run per request, progress and the end are reported, a report that cannot
// be sent waits in the data dir, the window stops a run, and garbage collection keeps what tags
// still need (a multi-platform index's children too) and deletes the rest.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { setupTestDatabase } from '@/test/db';
import { directRegistryAccess, until } from '@/test/edge-harness';
import { skopeo } from '@/test/registry-interop';
import type { EdgeConfig } from '../config';
import { DataDir } from '../data-dir';
import { Logger } from '../log';
import { RegistryProcess } from '../registry-process';
import { edgeIssuer } from '../token-service';
import { localAuthorize } from './local-auth';
import { RegistryClient } from './oci-client';
import { syncRunReport } from '@/lib/sync/report';
import { EdgeSync, nextTrigger, type Post, type SyncRunReport } from './service';
import { syncFixture, type SyncFixture } from './test-fixture';

const haveTools = existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo');

describe('nextTrigger', () => {
  it('reads the schedule in UTC and answers null for one it cannot read', () => {
    expect(nextTrigger('30 2 * * *', new Date('2026-11-30T01:00:00Z'))?.toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(nextTrigger('* * * * *', new Date('2026-11-30T01:00:10Z'))?.toISOString()).toBe('2026-11-30T01:01:00.000Z');
    expect(nextTrigger('not a schedule', new Date())).toBeNull();
  });
});

describe.skipIf(!haveTools)('EdgeSync with the edge’s registry and the configuration Canopy serves', () => {
  setupTestDatabase();
  let f: SyncFixture;
  let dataDir: DataDir;
  let registry: RegistryProcess;
  let key: Awaited<ReturnType<DataDir['signingKey']>>;
  let config: EdgeConfig;
  const lines: string[] = [];
  const log = new Logger('text', (l) => lines.push(l));
  const reports: SyncRunReport[] = [];
  let reachable = true;
  const post: Post = async (report) => {
    if (!reachable) return 'unreachable';
    reports.push(syncRunReport.parse(report)); // what the gateway would accept, or the test fails
    return 'sent';
  };
  const finals = () => reports.filter((r) => r.status !== 'Running');
  const edgeClient = () =>
    new RegistryClient(
      `http://127.0.0.1:${registry.port}`,
      localAuthorize(key, () => edgeIssuer('factory01')),
    );
  let sync: EdgeSync;
  const makeSync = () =>
    new EdgeSync({
      dataDir,
      log,
      config: () => config,
      concurrency: 4,
      clients: () => ({ parent: f.parentClient(), edge: edgeClient() }),
      post,
      collectGarbage: (signal) => registry.collectGarbage(signal),
    });

  beforeAll(async () => {
    f = await syncFixture();
    dataDir = new DataDir(mkdtempSync(join(tmpdir(), 'canopy-edge-sync-')));
    dataDir.prepare();
    key = await dataDir.signingKey('sync test');
    const port = await freePort();
    registry = new RegistryProcess('/usr/bin/docker-registry', dataDir, port, log);
    sync = makeSync();
    // the registry posts its push events to the sync engine, as in the edge
    await registry.apply({
      loginServer: `127.0.0.1:${port}`,
      scheme: 'http',
      issuer: edgeIssuer('factory01'),
      notify: await sync.listenForPushes(),
    });
    await f.push('one', 'apps/web:1.0');
    await f.push('multi', 'apps/web:multi');
    await f.push('big', 'apps/api:big');
    // the document Canopy serves; Sync now requests are added the way the gateway carries them
    config = { ...(await f.config()), syncSchedule: '0 0 1 1 *', syncWindow: null };
    sync.start();
  }, 180_000);

  afterAll(async () => {
    await sync?.stop();
    await registry?.stop();
    await f?.close();
  });

  it('Sync now starts a run at once, reported while it runs and at its end; the same request is not run twice', async () => {
    expect(config.repositories.sort()).toEqual(['apps/api', 'apps/web']);
    config = { ...config, syncRequest: { id: 'request-1', requestedAt: new Date().toISOString() } };
    sync.configChanged();
    const final = await until(() => finals().find((r) => r.requestId === 'request-1'), 60_000, 'the run of request-1 to end');
    expect(final).toMatchObject({ kind: 'sync', trigger: 'now', status: 'Succeeded', error: null, repositoriesTotal: 2, conflictCount: 0 });
    expect(Date.parse(final.endedAt!)).toBeGreaterThanOrEqual(Date.parse(final.startedAt));
    expect(reports.find((r) => r.id === final.id && r.status === 'Running')).toBeDefined();
    const web = final.repositories.find((r) => r.name === 'apps/web')!;
    expect(web.down.tags).toBe(2);
    expect(final.repositories.find((r) => r.name === 'apps/api')!.down.tags).toBe(1);
    expect(sync.lastSuccess).toBe(final.endedAt);
    // the edge owns lastSyncTime, kept in its data dir with the handled request
    expect(JSON.parse(readFileSync(dataDir.path('sync-runs.json'), 'utf8'))).toMatchObject({
      lastSuccess: final.endedAt,
      handledRequestId: 'request-1',
    });
    const local = edgeClient();
    const cloud = f.parentClient();
    expect(await local.manifestDigest('apps/api', 'big')).toBe(await cloud.manifestDigest('apps/api', 'big'));
    local.close();
    cloud.close();

    // the long poll brings the same document again (another change): no second run
    sync.configChanged();
    await new Promise((r) => setTimeout(r, 1500));
    expect(finals().filter((r) => r.requestId === 'request-1')).toHaveLength(1);
  }, 90_000);

  it('a report that cannot be sent waits in the data dir and goes with the next one that does', async () => {
    reachable = false;
    config = { ...config, syncRequest: { id: 'request-2', requestedAt: new Date().toISOString() } };
    sync.configChanged();
    await until(() => sync.queuedReports === 1, 60_000, 'the final report queued');
    expect(finals().find((r) => r.requestId === 'request-2')).toBeUndefined();
    expect((JSON.parse(readFileSync(dataDir.path('sync-runs.json'), 'utf8')) as { queued: SyncRunReport[] }).queued[0]).toMatchObject({
      requestId: 'request-2',
      status: 'Succeeded',
    });
    reachable = true;
    // the next report that goes through takes the waiting one with it
    config = { ...config, syncRequest: { id: 'request-2b', requestedAt: new Date().toISOString() } };
    sync.configChanged();
    await until(() => finals().find((r) => r.requestId === 'request-2b'), 60_000, 'the run of request-2b');
    await until(() => sync.queuedReports === 0 && finals().some((r) => r.requestId === 'request-2'), 10_000, 'the waiting report sent');
    // a run that changed nothing says so: nothing moved either way
    const final = finals().find((r) => r.requestId === 'request-2')!;
    expect(final.repositories.every((r) => r.down.tags + r.down.blobs + r.up.tags + r.up.blobs === 0)).toBe(true);
  }, 90_000);

  it('a tag a client pushes to the ReadWrite edge reaches the cloud within seconds (the registry’s push event); the engine’s own writes start no run', async () => {
    // the runs above wrote at the edge (tags copied down): no run came of their events
    expect(reports.filter((r) => r.trigger !== 'now')).toEqual([]);
    const direct = await directRegistryAccess(dataDir.root, 'apps/web');
    const pushed = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      direct.token,
      f.refs.two,
      `docker://${direct.address}/apps/web:pushed-here`,
    ]);
    expect(pushed.ok, pushed.output).toBe(true);
    // reported as what started it: a push at the edge
    const final = await until(() => finals().find((r) => r.trigger === 'push' && r.kind === 'sync'), 30_000, 'the hinted run');
    expect(final.status).toBe('Succeeded');
    expect(final.repositories.map((r) => r.name)).toEqual(['apps/web']);
    expect(final.repositories[0].up.tags).toBe(1);
    const cloud = f.parentClient();
    const local = edgeClient();
    expect(await cloud.manifestDigest('apps/web', 'pushed-here')).toBe(await local.manifestDigest('apps/web', 'pushed-here'));
    cloud.close();
    local.close();
    // its own upload to the cloud, and the tags it wrote here, start nothing more
    await new Promise((r) => setTimeout(r, 2500));
    expect(finals().filter((r) => r.trigger !== 'now' && r.kind === 'sync')).toHaveLength(1);
  }, 90_000);

  it('the sync window ends a run: Stopped, with no error', async () => {
    await f.push('three', 'apps/web:3.0');
    config = { ...config, syncWindow: 'PT0.001S', syncRequest: { id: 'request-3', requestedAt: new Date().toISOString() } };
    sync.configChanged();
    const final = await until(() => finals().find((r) => r.requestId === 'request-3'), 60_000, 'the run of request-3 to end');
    expect(final).toMatchObject({ status: 'Stopped', error: null });
    expect(sync.lastSuccess).not.toBe(final.endedAt);
    config = { ...config, syncWindow: null };
  }, 90_000);

  it('the cron schedule (UTC) triggers a run, and its window counts from the trigger', async () => {
    const before = new Set(reports.map((r) => r.id));
    // every minute, with a window that is over a moment after each trigger
    config = { ...config, syncSchedule: '* * * * *', syncWindow: 'PT0.001S', syncRequest: null };
    sync.configChanged();
    const scheduled = await until(
      () => finals().find((r) => !before.has(r.id) && r.trigger === 'schedule' && r.repositoriesTotal === 2),
      75_000,
      'a scheduled run',
    );
    expect(scheduled).toMatchObject({ kind: 'sync', requestId: null, status: 'Stopped', error: null });
    config = { ...config, syncSchedule: '0 0 1 1 *', syncWindow: null };
    sync.configChanged();
  }, 120_000);

  it('garbage collection: the registry read-only meanwhile, without --delete-untagged — a deleted tag’s blobs go, a multi-platform index keeps its children', async () => {
    const local = edgeClient();
    const big = await local.manifest('apps/api', 'big');
    await local.deleteManifest('apps/api', big.digest);
    const gc = await sync.collectGarbageNow();
    expect(gc).toMatchObject({ kind: 'gc', trigger: 'schedule', status: 'Succeeded', error: null });
    expect(finals().find((r) => r.id === gc.id)).toBeDefined();
    expect(lines.find((l) => /gc\.end/.test(l))).toMatch(/[1-9]\d* blobs deleted/);
    expect(await local.hasBlob('apps/api', big.parsed.layers![1].digest)).toBe(false);
    // the index and each child manifest with its blobs: all still there
    const multi = await local.manifest('apps/web', 'multi');
    for (const child of multi.parsed.manifests!) {
      const m = await local.manifest('apps/web', child.digest);
      for (const blob of [m.parsed.config!, ...m.parsed.layers!]) expect(await local.hasBlob('apps/web', blob.digest)).toBe(true);
    }
    // writable again afterwards: the registry takes a push
    expect(readFileSync(dataDir.path('registry', 'config.yml'), 'utf8')).not.toContain('readonly');
    await local.putManifest('apps/web', 'multi-again', multi);
    expect(await local.manifestDigest('apps/web', 'multi-again')).toBe(multi.digest);
    local.close();
    expect(lines.some((l) => /registry\.readonly/.test(l))).toBe(true);
  }, 90_000);
});

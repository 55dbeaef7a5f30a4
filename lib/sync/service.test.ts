// Over 300 lines on purpose: the sync history's writes (the gateway) and reads (REST, Sync now,
// the Overview's stale count) are one feature on one registry's runs.
// Sync history on a real PostgreSQL: the gateway's sync-runs endpoint (sync token, bounded
// input, progress then end, folding, the last 50 rows, lastSyncTime), GET CR/sync-runs paging,
// and Sync now (role, audit, the config long poll that carries it, no second run while one goes).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { hierarchyTree } from '@/lib/registries/queries';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture, createConnectedRegistryFixture, rejection, uniqueName } from '@/test/fixtures';
import { callGateway, callRoute, type ErrorBody } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { POST as postSyncRun } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/sync-runs/route';
import { GET as listRuns } from '@/app/api/v1/registries/[registry]/connected-registries/[name]/sync-runs/route';
import { POST as syncNow } from '@/app/api/v1/registries/[registry]/connected-registries/[name]/sync/route';
import type { SyncRunReportInput } from './report';
import { countStaleRegistries } from './stale';
import { SYNC_HISTORY_ROWS, requestSync } from './service';
import type { SyncRunDto } from './schemas';

setupTestDatabase();

let actor: Actor & { bearer: string };
let reader: Actor & { bearer: string };
let registry: string;

type Edge = { name: string; password: string; instance: string };

/** A connected registry, deployed: its sync password, and its first config fetch (activation). */
async function deployedRegistry(): Promise<Edge> {
  const name = uniqueName('edge');
  await createConnectedRegistryFixture(actor, registry, { name, repositories: ['app/web'] });
  const password = (await connectionSettings(actor, registry, name, { parentProtocol: 'https', generatePassword: 'password1' })).password!
    .value;
  const edge = { name, password, instance: `box-${name}` };
  expect((await fetchConfig(edge)).status).toBe(200);
  return edge;
}

const fetchConfig = (edge: Edge, opts: { etag?: string; wait?: number } = {}) =>
  callGateway(getConfig, {
    registry,
    name: edge.name,
    endpoint: 'config',
    user: `${edge.name}-sync-token`,
    password: edge.password,
    instance: edge.instance,
    ...opts,
  });

async function report(edge: Edge, body: unknown, opts: { user?: string; password?: string; instance?: string; raw?: string } = {}) {
  const res = await callGateway(postSyncRun, {
    registry,
    name: edge.name,
    endpoint: 'sync-runs',
    user: opts.user ?? `${edge.name}-sync-token`,
    password: opts.password ?? edge.password,
    instance: opts.instance ?? edge.instance,
    body: opts.raw ?? body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Partial<ErrorBody> };
}

let clock = Date.now() - 3 * 3600_000;
/** A finished run, each one a little later than the one before. */
function run(over: Partial<SyncRunReportInput> = {}): SyncRunReportInput {
  clock += 60_000;
  return {
    id: `run-${clock}`,
    trigger: 'schedule',
    status: 'Succeeded',
    startedAt: new Date(clock).toISOString(),
    endedAt: new Date(clock + 2000).toISOString(),
    ...over,
  };
}
const copied = (tags: number, bytes: number) => [{ name: 'app/web', down: { tags, bytes, blobs: tags } }];

async function history(edge: Edge, query = '') {
  return callRoute<{ items: SyncRunDto[]; next: string | null }>(listRuns, {
    bearer: reader.bearer,
    path: `/registries/${registry}/connected-registries/${edge.name}/sync-runs${query}`,
    params: { registry, name: edge.name },
  });
}

const registryRow = (edge: Edge) =>
  getDb().connectedRegistry.findFirstOrThrow({ where: { name: edge.name }, select: { lastSyncTime: true, lastSyncRunStatus: true } });

beforeAll(async () => {
  actor = await createActorWithBearer('Contributor');
  reader = await createActorWithBearer('Reader');
  registry = await createCloudRegistryFixture(actor);
});

describe('POST …/sync-runs (gateway)', () => {
  it('keeps a run from its first progress report to its end, and sets lastSyncTime to its end', async () => {
    const edge = await deployedRegistry();
    const final = run({ repositories: copied(2, 4096) });
    const progress = { ...final, status: 'Running', endedAt: null, repositories: copied(1, 1024), repositoriesTotal: 1 };
    expect(await report(edge, progress)).toEqual({ status: 200, body: { outcome: 'recorded' } });
    let items = (await history(edge)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: final.id,
      status: 'Running',
      endedAt: null,
      abandoned: false,
      totals: { down: { tags: 1, bytes: 1024 } },
    });
    expect((await registryRow(edge)).lastSyncTime).toBeNull();

    expect((await report(edge, final)).body).toEqual({ outcome: 'recorded' });
    items = (await history(edge)).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: final.id,
      status: 'Succeeded',
      endedAt: final.endedAt,
      runCount: 1,
      totals: { down: { tags: 2, bytes: 4096, blobs: 2 }, up: { tags: 0 } },
    });
    expect(await registryRow(edge)).toEqual({ lastSyncTime: new Date(final.endedAt!), lastSyncRunStatus: 'Succeeded' });

    // the same end again, or a late progress report, changes nothing
    expect((await report(edge, final)).body).toEqual({ outcome: 'ignored' });
    expect((await report(edge, progress)).body).toEqual({ outcome: 'ignored' });
    expect((await history(edge)).body.items).toEqual(items);
  });

  it('never moves lastSyncTime back, and a failed run sets the failed status but not lastSyncTime', async () => {
    const edge = await deployedRegistry();
    const later = run();
    const earlier = { ...run(), startedAt: new Date(clock - 600_000).toISOString(), endedAt: new Date(clock - 590_000).toISOString() };
    await report(edge, later);
    await report(edge, earlier);
    expect((await registryRow(edge)).lastSyncTime).toEqual(new Date(later.endedAt!));
    const failed = run({ status: 'Failed', error: 'GET https://cloud/v2/app/web/blobs/sha256:ab: connection refused' });
    await report(edge, failed);
    expect(await registryRow(edge)).toEqual({ lastSyncTime: new Date(later.endedAt!), lastSyncRunStatus: 'Failed' });
    expect((await history(edge)).body.items[0]).toMatchObject({ id: failed.id, status: 'Failed', error: failed.error });
  });

  it('marks the registry in the hierarchy while its last finished sync run failed', async () => {
    const edge = await deployedRegistry();
    const node = async () => (await hierarchyTree(registry)).nodes.find((n) => n.name === edge.name)!;
    expect(await node()).not.toHaveProperty('syncFailed');
    await report(edge, run({ status: 'Failed', error: 'parent unreachable' }));
    expect(await node()).toMatchObject({ syncFailed: true });
    // a run in progress keeps the mark; a successful end clears it
    const next = run();
    await report(edge, { ...next, status: 'Running', endedAt: null });
    expect(await node()).toMatchObject({ syncFailed: true });
    await report(edge, next);
    expect(await node()).not.toHaveProperty('syncFailed');
  });

  it('marks the registry when its last garbage collection failed, as a sync failure does, until a later collection succeeds', async () => {
    const edge = await deployedRegistry();
    const node = async () => (await hierarchyTree(registry)).nodes.find((n) => n.name === edge.name)!;
    await report(edge, run());
    const gcFailed = run({ kind: 'gc', status: 'Failed', error: 'Garbage collection failed: storage is read-only' });
    expect((await report(edge, gcFailed)).body).toEqual({ outcome: 'recorded' });
    expect(await node()).toMatchObject({ syncFailed: true });
    // the sync runs go on succeeding: the failed collection stays marked
    await report(edge, run({ repositories: copied(1, 10) }));
    expect(await node()).toMatchObject({ syncFailed: true });
    expect((await history(edge)).body.items.find((r) => r.id === gcFailed.id)).toMatchObject({ kind: 'gc', status: 'Failed' });
    // a collection that succeeds clears it; it does not clear a failed sync run
    await report(edge, run({ kind: 'gc' }));
    expect(await node()).not.toHaveProperty('syncFailed');
    await report(edge, run({ status: 'Failed', error: 'parent unreachable' }));
    await report(edge, run({ kind: 'gc' }));
    expect(await node()).toMatchObject({ syncFailed: true });
  });

  it('keeps the trigger of a run a push at the edge started', async () => {
    const edge = await deployedRegistry();
    const pushed = run({ trigger: 'push', repositories: copied(1, 10) });
    expect((await report(edge, pushed)).body).toEqual({ outcome: 'recorded' });
    expect((await history(edge)).body.items[0]).toMatchObject({ id: pushed.id, trigger: 'push' });
    expect((await report(edge, run({ trigger: 'sometime' as 'push' }))).status).toBe(400);
  });

  it('folds consecutive runs that changed nothing into one row with a count', async () => {
    const edge = await deployedRegistry();
    await report(edge, run({ repositories: copied(3, 100) }));
    const first = run({ repositories: [{ name: 'app/web' }] });
    await report(edge, first);
    const second = run();
    // a no-change run that sent progress first: its own row goes away when it is folded
    await report(edge, { ...second, status: 'Running', endedAt: null });
    expect((await history(edge)).body.items).toHaveLength(3);
    expect((await report(edge, second)).body).toEqual({ outcome: 'folded' });
    const third = run();
    expect((await report(edge, third)).body).toEqual({ outcome: 'folded' });
    let items = (await history(edge)).body.items;
    expect(items.map((i) => [i.runCount, i.totals.down.tags])).toEqual([
      [3, 0],
      [1, 3],
    ]);
    expect(items[0]).toMatchObject({ id: first.id, lastRunId: third.id, startedAt: first.startedAt, endedAt: third.endedAt });
    expect((await registryRow(edge)).lastSyncTime).toEqual(new Date(third.endedAt!));
    // a repeat of a folded run's end is ignored
    expect((await report(edge, third)).body).toEqual({ outcome: 'ignored' });

    // a run that changed something starts a new row, and the next no-change run starts another
    await report(edge, run({ repositories: [{ name: 'app/web', up: { tags: 1, bytes: 10 } }] }));
    await report(edge, run());
    await report(edge, run());
    items = (await history(edge)).body.items;
    expect(items.map((i) => i.runCount)).toEqual([2, 1, 3, 1]);
    // a failed run is never folded, nor folded into
    await report(edge, run({ status: 'Failed', error: 'boom' }));
    await report(edge, run());
    expect((await history(edge)).body.items.map((i) => i.runCount)).toEqual([1, 1, 2, 1, 3, 1]);
  });

  it(`keeps the last ${SYNC_HISTORY_ROWS} rows per registry`, async () => {
    const edge = await deployedRegistry();
    const ids: string[] = [];
    for (let i = 0; i < SYNC_HISTORY_ROWS + 5; i++) {
      const r = run({ repositories: copied(1, i + 1) });
      ids.push(r.id);
      expect((await report(edge, r)).status).toBe(200);
    }
    expect(await getDb().syncRun.count({ where: { connectedRegistry: { name: edge.name } } })).toBe(SYNC_HISTORY_ROWS);
    const page = await history(edge, '?limit=200');
    expect(page.body.items.map((i) => i.id)).toEqual(ids.slice(5).reverse());
  });

  it('refuses bad reports with a clear 4xx and writes nothing', async () => {
    const edge = await deployedRegistry();
    const cases: [unknown, number, string][] = [
      [{ ...run(), status: 'Done' }, 400, 'status'],
      [{ ...run(), endedAt: null }, 400, 'endedAt'],
      [{ ...run(), status: 'Failed' }, 400, 'error'],
      [{ ...run(), trigger: 'now' }, 400, 'requestId'],
      [{ ...run(), extra: true }, 400, ''],
      [{ ...run(), repositories: [{ name: 'a', down: { bytes: -5 } }] }, 400, 'repositories.0.down.bytes'],
      [
        { ...run(), startedAt: new Date(Date.now() + 3600_000).toISOString(), endedAt: new Date(Date.now() + 3601_000).toISOString() },
        400,
        'startedAt',
      ],
      [[1, 2, 3], 400, ''],
    ];
    for (const [body, status, field] of cases) {
      const res = await report(edge, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (field) expect(res.body.error!.details.map((d) => d.field)).toContain(field);
    }
    expect((await report(edge, null, { raw: '{"id": ' })).status).toBe(400);
    const huge = {
      ...run(),
      error: null,
      repositories: Array.from({ length: 400 }, (_, i) => ({ name: `${'r'.repeat(200)}${i}`, error: 'e'.repeat(1000) })),
    };
    expect((await report(edge, huge)).status).toBe(413);
    expect((await history(edge)).body.items).toEqual([]);
  });

  it('needs the sync token and the deployment bound to the registry', async () => {
    const edge = await deployedRegistry();
    expect((await report(edge, run(), { password: 'wrong' })).status).toBe(401);
    const other = await report(edge, run(), { instance: 'another-box' });
    expect(other.status).toBe(409);
    expect(other.body.error!.code).toBe('already_active');
    const sibling = await deployedRegistry();
    // one registry's sync token has no gateway actions for a sibling: the same 403 as any
    const cross = await report(sibling, run(), { user: `${edge.name}-sync-token`, password: edge.password, instance: edge.instance });
    expect(cross.status).toBe(403);
    expect((await history(edge)).body.items).toEqual([]);
    expect((await history(sibling)).body.items).toEqual([]);
  });
});

describe('GET CR/sync-runs', () => {
  it('pages newest first with {items, next} and refuses a made-up cursor', async () => {
    const edge = await deployedRegistry();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = run({ repositories: copied(1, 1) });
      ids.push(r.id);
      await report(edge, r);
    }
    const first = await history(edge, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    const second = await history(edge, `?limit=2&cursor=${first.body.next}`);
    const third = await history(edge, `?limit=2&cursor=${second.body.next}`);
    expect([...second.body.items, ...third.body.items].map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.body.next).toBeNull();
    expect((await history(edge, '?cursor=bm9wZQ')).status).toBe(400);
    expect((await history(edge, '?limit=0')).status).toBe(400);
    expect((await history(edge, '?status=Failed')).body.items).toEqual([]);
    const missing = await callRoute(listRuns, { bearer: reader.bearer, path: '/x', params: { registry, name: 'nosuchedge' } });
    expect(missing.status).toBe(404);
  });
});

describe('POST CR/sync (Sync now)', () => {
  const post = (who: { bearer: string }, edge: Edge) =>
    callRoute<{ requestId: string; requestedAt: string; alreadyRequested: boolean } & Partial<ErrorBody>>(syncNow, {
      bearer: who.bearer,
      method: 'POST',
      path: `/registries/${registry}/connected-registries/${edge.name}/sync`,
      params: { registry, name: edge.name },
    });

  it('is refused to a Reader', async () => {
    const edge = await deployedRegistry();
    expect((await post(reader, edge)).status).toBe(403);
    expect(await getDb().connectedRegistry.findFirst({ where: { name: edge.name }, select: { syncRequestId: true } })).toEqual({
      syncRequestId: null,
    });
  });

  it('answers 202 with the request id, audited, and wakes the edge’s config long poll with syncRequest', async () => {
    const edge = await deployedRegistry();
    const before = await fetchConfig(edge);
    expect((await before.json()).syncRequest).toBeNull();
    const poll = fetchConfig(edge, { etag: before.headers.get('etag')!, wait: 30 });
    await new Promise((r) => setTimeout(r, 300));
    const asked = Date.now();
    const res = await post(actor, edge);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ requestId: expect.any(String), alreadyRequested: false });
    const answered = await poll;
    expect(answered.status).toBe(200);
    expect((await answered.json()).syncRequest).toEqual({ id: res.body.requestId, requestedAt: res.body.requestedAt });
    // the poll was answered by the change, long before its 30 s wait
    expect(Date.now() - asked).toBeLessThan(15_000);
    const audit = await getDb().auditEvent.findFirst({ where: { action: 'connectedRegistry.syncNow', targetName: edge.name } });
    expect(audit).toMatchObject({ actorName: actor.email, registry, details: expect.objectContaining({ requestId: res.body.requestId }) });
  });

  it('answers a request the edge has not taken with the same id, and refuses a new one while a run goes', async () => {
    const edge = await deployedRegistry();
    const first = (await post(actor, edge)).body;
    const again = await post(actor, edge);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ requestId: first.requestId, alreadyRequested: true });
    expect(await getDb().auditEvent.count({ where: { action: 'connectedRegistry.syncNow', targetName: edge.name } })).toBe(1);

    // the edge takes it: a run in progress
    const taken = {
      ...run({ trigger: 'now', requestId: first.requestId }),
      status: 'Running' as const,
      endedAt: null,
      startedAt: new Date().toISOString(),
    };
    await report(edge, taken);
    const busy = await post(actor, edge);
    expect(busy.status).toBe(409);
    expect(busy.body.error!.code).toBe('sync_in_progress');

    // the run ended: a new request gets a new id
    await report(edge, { ...taken, status: 'Succeeded', endedAt: new Date().toISOString() });
    const next = await post(actor, edge);
    expect(next.status).toBe(202);
    expect(next.body.requestId).not.toBe(first.requestId);
    expect(next.body.alreadyRequested).toBe(false);
  });

  it('lets a new request through when the running run was abandoned (no report for 5 minutes)', async () => {
    const edge = await deployedRegistry();
    const started = new Date(Date.now() - 20 * 60_000).toISOString();
    await report(edge, { ...run(), status: 'Running', endedAt: null, startedAt: started });
    await getDb().syncRun.updateMany({
      where: { connectedRegistry: { name: edge.name } },
      data: { reportedAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect((await history(edge)).body.items[0]).toMatchObject({ status: 'Running', abandoned: true });
    expect((await post(actor, edge)).status).toBe(202);
  });

  it('is refused for a disabled registry and an unknown one', async () => {
    const edge = await deployedRegistry();
    await getDb().token.updateMany({ where: { name: `${edge.name}-sync-token` }, data: { status: 'disabled' } });
    expect((await rejection(requestSync(actor, registry, edge.name))).code).toBe('registry_disabled');
    expect((await rejection(requestSync(actor, registry, 'nosuchedge'))).status).toBe(404);
  });
});

describe('stale registries (the Overview count)', () => {
  it('counts active registries whose last successful sync is older than twice the schedule’s longest gap, at least 10 minutes', async () => {
    const db = getDb();
    const now = new Date();
    const base = await countStaleRegistries(now);
    const fresh = await deployedRegistry();
    const stale = await deployedRegistry();
    const hourly = await deployedRegistry();
    const neverSynced = await deployedRegistry();
    const minutes = (n: number) => new Date(now.getTime() - n * 60_000);
    await db.connectedRegistry.updateMany({ where: { name: fresh.name }, data: { lastSyncTime: minutes(9) } });
    await db.connectedRegistry.updateMany({ where: { name: stale.name }, data: { lastSyncTime: minutes(11) } });
    // hourly: stale only after 2 hours
    await db.connectedRegistry.updateMany({
      where: { name: hourly.name },
      data: { lastSyncTime: minutes(119), syncSchedule: '0 * * * *', syncWindow: 'PT1H' },
    });
    await db.connectedRegistry.updateMany({ where: { name: neverSynced.name }, data: { activatedAt: minutes(30) } });
    expect(await countStaleRegistries(now)).toBe(base + 2);
    await db.connectedRegistry.updateMany({ where: { name: hourly.name }, data: { lastSyncTime: minutes(121) } });
    expect(await countStaleRegistries(now)).toBe(base + 3);
    // a disabled or inactive registry is not counted
    await db.token.updateMany({ where: { name: `${stale.name}-sync-token` }, data: { status: 'disabled' } });
    await db.connectedRegistry.updateMany({ where: { name: hourly.name }, data: { activationStatus: 'Inactive' } });
    expect(await countStaleRegistries(now)).toBe(base + 1);
  });
});

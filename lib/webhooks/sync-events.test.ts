// Sync alerts reach a real receiver on loopback, signed: syncFailed when the edge reports a
// failed run (queued with the report, once however often it is repeated), syncStale from the
// detector once per staleness (and again after the registry synced and went stale anew), never
// during the quiet time after a start.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { syncRunReport, type SyncRunReportInput } from '@/lib/sync/report';
import { recordSyncRun } from '@/lib/sync/service';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture, uniqueName } from '@/test/fixtures';
import { setupWebhookReceiver } from '@/test/webhook-receiver';
import { detectConditions } from './detectors';
import { createWebhookInput } from './schemas';
import { createWebhook } from './service';
import { createWebhookWorker } from './worker';

setupTestDatabase();

const receiver = setupWebhookReceiver();
let actor: Actor;
const past = () => new Date(Date.now() - 1000);

beforeAll(async () => {
  actor = await createActor('Contributor');
});

async function registryWithEndpoint(events: string[]) {
  const registry = await createCloudRegistryFixture(actor);
  const { secret } = await createWebhook(actor, registry, createWebhookInput.parse({ name: 'alerts', url: receiver().url, events }));
  receiver().secrets.push(secret);
  return registry;
}

/** An active connected registry (as if its edge had fetched its configuration). */
async function activeRegistry(registry: string) {
  const name = uniqueName('edge');
  await createConnectedRegistryFixture(actor, registry, { name });
  const row = await getDb().connectedRegistry.update({
    where: {
      cloudRegistryId_name: { cloudRegistryId: (await getDb().cloudRegistry.findUniqueOrThrow({ where: { name: registry } })).id, name },
    },
    data: { activationStatus: 'Active', activatedAt: new Date(), instanceId: 'box' },
  });
  return { name, id: row.id };
}

async function deliveredFor(registry: string) {
  await createWebhookWorker().runOnce();
  return receiver().received.filter((r) => String(r.event.source).endsWith(`/registries/${registry}`));
}

const failedRun = (over: Partial<SyncRunReportInput> = {}) =>
  syncRunReport.parse({
    id: uniqueName('run'),
    trigger: 'schedule',
    status: 'Failed',
    startedAt: new Date(Date.now() - 5000).toISOString(),
    endedAt: new Date().toISOString(),
    error: 'GET https://cloud.example/v2/app/blobs/sha256:ab: connection refused',
    repositories: [{ name: 'app', error: 'connection refused' }],
    ...over,
  });

describe('syncFailed', () => {
  it('is queued with the failed run’s report, once however often the edge repeats it, and delivered signed', async () => {
    const registry = await registryWithEndpoint(['io.canopy.connectedRegistry.syncFailed']);
    const edge = await activeRegistry(registry);
    const run = failedRun();
    await recordSyncRun(edge.id, registry, run);
    await recordSyncRun(edge.id, registry, run);
    // a successful run raises nothing
    await recordSyncRun(
      edge.id,
      registry,
      syncRunReport.parse({ ...run, id: uniqueName('run'), status: 'Succeeded', error: null, repositories: [] }),
    );
    const got = await deliveredFor(registry);
    expect(got.map((r) => r.event.type)).toEqual(['io.canopy.connectedRegistry.syncFailed']);
    expect(got[0].validSignatures).toBe(1);
    expect(got[0].event).toMatchObject({
      subject: `connectedRegistries/${edge.name}`,
      data: {
        registry,
        connectedRegistry: { name: edge.name },
        run: {
          id: run.id,
          kind: 'sync',
          trigger: 'schedule',
          error: run.error,
          failedRepositories: [{ name: 'app', error: 'connection refused' }],
        },
        link: expect.stringContaining(`/connected-registries/${edge.name}?registry=`),
      },
    });
  });

  it('goes only to endpoints that want it', async () => {
    const registry = await registryWithEndpoint(['io.canopy.connectedRegistry.offline']);
    const edge = await activeRegistry(registry);
    await recordSyncRun(edge.id, registry, failedRun());
    expect(await getDb().webhookDelivery.count({ where: { endpoint: { cloudRegistry: { name: registry } } } })).toBe(0);
  });
});

describe('syncStale', () => {
  it('once per staleness, not during the quiet time, and again after the registry synced and went stale anew', async () => {
    const registry = await registryWithEndpoint(['io.canopy.connectedRegistry.syncStale']);
    const stale = await activeRegistry(registry);
    const fresh = await activeRegistry(registry);
    const db = getDb();
    const lastSync = new Date(Date.now() - 30 * 60_000);
    await db.connectedRegistry.update({ where: { id: stale.id }, data: { lastSyncTime: lastSync } });
    await db.connectedRegistry.update({ where: { id: fresh.id }, data: { lastSyncTime: new Date(Date.now() - 5 * 60_000) } });

    await detectConditions({ quietUntil: new Date(Date.now() + 60_000) });
    expect(await deliveredFor(registry)).toHaveLength(0);

    await detectConditions({ quietUntil: past() });
    await detectConditions({ quietUntil: past() });
    let got = await deliveredFor(registry);
    expect(got.map((r) => r.event.subject)).toEqual([`connectedRegistries/${stale.name}`]);
    expect(got[0].validSignatures).toBe(1);
    expect(got[0].event).toMatchObject({
      type: 'io.canopy.connectedRegistry.syncStale',
      data: {
        connectedRegistry: { name: stale.name, syncSchedule: '* * * * *', lastSyncTime: lastSync.toISOString(), staleAfterSeconds: 600 },
      },
    });

    // it syncs (fresh again: nothing), then goes stale again: a new event
    await db.connectedRegistry.update({ where: { id: stale.id }, data: { lastSyncTime: new Date() } });
    await detectConditions({ quietUntil: past() });
    expect(await deliveredFor(registry)).toHaveLength(1);
    const later = new Date(Date.now() - 20 * 60_000);
    await db.connectedRegistry.update({ where: { id: stale.id }, data: { lastSyncTime: later } });
    await detectConditions({ quietUntil: past() });
    got = await deliveredFor(registry);
    expect(got.map((r) => r.event.data)).toEqual([
      expect.objectContaining({ connectedRegistry: expect.objectContaining({ lastSyncTime: lastSync.toISOString() }) }),
      expect.objectContaining({ connectedRegistry: expect.objectContaining({ lastSyncTime: later.toISOString() }) }),
    ]);
  });

  it('counts a registry that never synced from its activation', async () => {
    const registry = await registryWithEndpoint(['*']);
    const edge = await activeRegistry(registry);
    await getDb().connectedRegistry.update({ where: { id: edge.id }, data: { activatedAt: new Date(Date.now() - 11 * 60_000) } });
    await detectConditions({ quietUntil: past() });
    const got = (await deliveredFor(registry)).filter((r) => r.event.type === 'io.canopy.connectedRegistry.syncStale');
    expect(got.map((r) => r.event.data)).toEqual([
      expect.objectContaining({ connectedRegistry: expect.objectContaining({ name: edge.name, lastSyncTime: null }) }),
    ]);
  });
});

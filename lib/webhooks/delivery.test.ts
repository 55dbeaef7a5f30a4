// Deliveries to a real HTTP receiver on loopback that checks the Standard Webhooks signature
// with its own code: headers and body, retries (500 twice, then delivered), a restart and a
// crashed worker between attempts, two instances sharing one PostgreSQL, rotation's two
// signatures, the safety check at each delivery, and an endpoint disabled after a day failing.
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { disconnectDb, getDb, type Db } from '@/lib/db/client';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, uniqueName } from '@/test/fixtures';
import { startReceiver, type Receiver } from '@/test/webhook-receiver';
import { postWebhook } from './http';
import { getWebhook } from './queries';
import { createWebhookInput } from './schemas';
import { createWebhook, sendTestEvent, updateWebhook } from './service';
import { createWebhookWorker } from './worker';

const database = setupTestDatabase();

let actor: Actor;
let cloud: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
  actor = await createActor('Contributor');
  cloud = await createCloudRegistryFixture(actor);
});
afterAll(() => {
  delete process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE;
});
afterEach(async () => {
  process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiverWithEndpoint(options: Parameters<typeof startReceiver>[0] = {}, events = ['*']) {
  const receiver = await startReceiver(options);
  receivers.push(receiver);
  const name = uniqueName('hook');
  const created = await createWebhook(actor, cloud, createWebhookInput.parse({ name, url: receiver.url, events }));
  receiver.secrets.push(created.secret);
  return { receiver, name, secret: created.secret };
}

const fast = (retries: number) => (step: number) => (step < retries ? 50 : null);

async function deliveryOf(eventId: string) {
  return getDb().webhookDelivery.findFirstOrThrow({ where: { eventId }, include: { attempts: { orderBy: { time: 'asc' } } } });
}

describe('a delivery', () => {
  it('POSTs the CloudEvent with webhook-id, webhook-timestamp and a v1 HMAC signature the receiver verifies; the log keeps 512 bytes of the answer', async () => {
    const { receiver, name } = await receiverWithEndpoint({ responseBody: 'x'.repeat(2000) });
    const queued = await sendTestEvent(actor, cloud, name);
    const worker = createWebhookWorker({ backoff: fast(0) });
    await worker.runOnce();
    const [got] = await receiver.waitFor(1);
    expect(got.validSignatures).toBe(1);
    expect(got.headers['webhook-id']).toBe(queued.eventId);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(got.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(got.event).toMatchObject({
      specversion: '1.0',
      id: queued.eventId,
      type: 'io.canopy.webhook.test',
      subject: `webhooks/${name}`,
    });
    const row = await deliveryOf(queued.eventId);
    expect(row.status).toBe('delivered');
    expect(row.attempts).toHaveLength(1);
    expect(row.attempts[0]).toMatchObject({ statusCode: 200, error: null });
    expect(row.attempts[0].response).toHaveLength(512);
    expect(row.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reaches a receiver answering 500 twice on the third attempt, with the same webhook-id and a fresh signature each time', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    receiver.script.push(500, 500);
    const queued = await sendTestEvent(actor, cloud, name);
    const worker = createWebhookWorker({ backoff: fast(8), pollMs: 20 });
    worker.start();
    try {
      const got = await receiver.waitFor(3);
      expect(got.map((r) => r.answered)).toEqual([500, 500, 200]);
      expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([queued.eventId]));
      expect(got.every((r) => r.validSignatures === 1)).toBe(true);
    } finally {
      await worker.stop();
    }
    const row = await deliveryOf(queued.eventId);
    expect(row).toMatchObject({ status: 'delivered', attemptCount: 3 });
    expect(row.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect((await getDb().webhookEndpoint.findFirstOrThrow({ where: { name } })).failingSince).toBeNull();
  });

  it('is marked failed after the last retry', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    receiver.script.push(503, 503, 503);
    const queued = await sendTestEvent(actor, cloud, name);
    const worker = createWebhookWorker({ backoff: fast(1) });
    await worker.runOnce();
    await new Promise((r) => setTimeout(r, 80));
    await worker.runOnce();
    const row = await deliveryOf(queued.eventId);
    expect(row).toMatchObject({ status: 'failed', attemptCount: 2, lastStatusCode: 503 });
    expect(receiver.received).toHaveLength(2);
    // the endpoint shows it
    expect(await getWebhook(cloud, name)).toMatchObject({ failedDeliveries: 1 });
  });

  it('still arrives when Canopy restarts between attempts', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    receiver.script.push(500);
    const queued = await sendTestEvent(actor, cloud, name);
    const before = createWebhookWorker({ backoff: fast(8) });
    await before.runOnce();
    await before.stop();
    await disconnectDb(); // the process's database client goes away with it
    expect((await deliveryOf(queued.eventId)).status).toBe('pending');
    await new Promise((r) => setTimeout(r, 80));
    const after = createWebhookWorker({ backoff: fast(8) });
    await after.runOnce();
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 200]);
    expect((await deliveryOf(queued.eventId)).status).toBe('delivered');
  });

  it('is taken over after the lease of a worker that died mid-call runs out', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    const queued = await sendTestEvent(actor, cloud, name);
    // a worker claimed it and crashed: its lease is still running
    await getDb().webhookDelivery.updateMany({ where: { eventId: queued.eventId }, data: { leaseUntil: new Date(Date.now() + 400) } });
    const worker = createWebhookWorker({ backoff: fast(8) });
    expect(await worker.runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('carries two valid signatures for a day after Rotate secret: one per secret', async () => {
    const { receiver, name, secret } = await receiverWithEndpoint();
    const rotated = await updateWebhook(actor, cloud, name, { rotateSecret: true });
    const onlyNew = [rotated.secret!];
    await sendTestEvent(actor, cloud, name);
    await createWebhookWorker().runOnce();
    const [got] = await receiver.waitFor(1);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    receiver.secrets.splice(0, receiver.secrets.length, secret, rotated.secret!);
    expect((await import('@/test/webhook-receiver')).validSignatureCount([secret], got.headers, got.body)).toBe(1);
    expect((await import('@/test/webhook-receiver')).validSignatureCount(onlyNew, got.headers, got.body)).toBe(1);
  });

  it('checks the address again at each delivery: a private target is refused once private targets are no longer allowed', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    const queued = await sendTestEvent(actor, cloud, name);
    delete process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE;
    await createWebhookWorker({ backoff: fast(8) }).runOnce();
    expect(receiver.received).toHaveLength(0);
    const row = await deliveryOf(queued.eventId);
    expect(row.status).toBe('pending');
    expect(row.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/loopback or private/) });
  });

  it('follows no redirect: a 302 is a failed attempt and the Location is never requested', async () => {
    const target = await startReceiver();
    receivers.push(target);
    const { receiver, name } = await receiverWithEndpoint({ redirectTo: target.url });
    const queued = await sendTestEvent(actor, cloud, name);
    await createWebhookWorker({ backoff: fast(8) }).runOnce();
    expect(receiver.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect(await deliveryOf(queued.eventId)).toMatchObject({ status: 'pending', lastStatusCode: 302 });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const receiver = await startReceiver({ hang: true });
    receivers.push(receiver);
    const started = Date.now();
    const result = await postWebhook(receiver.url, { 'content-type': 'application/json' }, '{}', 300);
    expect(result).toMatchObject({ statusCode: null, error: expect.stringMatching(/No response within/) });
    // gave up at its timeout rather than waiting on the hanging receiver (a loaded machine is slow to get there)
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('disables an endpoint that has failed for a day, with an audit event', async () => {
    const { receiver, name } = await receiverWithEndpoint();
    receiver.script.push(500);
    await sendTestEvent(actor, cloud, name);
    await getDb().webhookEndpoint.updateMany({ where: { name }, data: { failingSince: new Date(Date.now() - 25 * 3600_000) } });
    await createWebhookWorker({ backoff: fast(8) }).runOnce();
    const endpoint = await getDb().webhookEndpoint.findFirstOrThrow({ where: { name } });
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'failing' });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'webhook.autoDisable', targetName: name } });
    expect(audit.actorName).toBe('system');
    // a disabled endpoint's deliveries wait: nothing more is sent
    await sendTestEvent(actor, cloud, name).catch(() => undefined);
    await getDb().webhookDelivery.updateMany({ where: { endpoint: { name } }, data: { nextAttemptAt: new Date() } });
    await createWebhookWorker({ backoff: fast(8) }).runOnce();
    expect(receiver.received).toHaveLength(1);
  });
});

describe('two instances on one PostgreSQL', () => {
  itOnPostgresServer('deliver each event once', async () => {
    // earlier tests' retries, whose receivers are gone, are not part of this count
    await getDb().webhookDelivery.deleteMany({ where: { status: 'pending' } });
    const { receiver, name } = await receiverWithEndpoint();
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await sendTestEvent(actor, cloud, name)).eventId);
    // each instance has its own connection pool, as two processes would
    const clients = [0, 1].map(
      () => new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url(), max: 4 }) }) as unknown as Db,
    );
    try {
      const workers = clients.map((c) => createWebhookWorker({ db: () => c, batchSize: 3 }));
      const counts = await Promise.all(workers.map((w) => w.runOnce()));
      expect(counts[0] + counts[1]).toBe(30);
      expect(counts.every((c) => c > 0)).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
    const got = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(ids);
    expect(receiver.received.every((r) => r.validSignatures === 1)).toBe(true);
  });
});

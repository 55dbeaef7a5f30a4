// Each kind of event arrives, signed, at a real receiver on loopback: disabled/enabled (queued in
// the change's own transaction), offline/online and password expiring/expired (detectors, once
// per condition across runs and instances), audit forwarding; and a change that creates a
// condition is noticed at once by the scheduler the server runs.
import { PrismaPg } from '@prisma/adapter-pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { disconnectDb, getDb, type Db } from '@/lib/db/client';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePassword } from '@/lib/tokens/service/regenerate-passwords';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture, rejection, uniqueName } from '@/test/fixtures';
import { setupWebhookReceiver, type Receiver } from '@/test/webhook-receiver';
import { detectConditions } from './detectors';
import { startWebhooks } from './scheduler';
import { createWebhookInput } from './schemas';
import { createWebhook } from './service';
import { createWebhookWorker } from './worker';

const database = setupTestDatabase();

const useReceiver = setupWebhookReceiver();
let actor: Actor;
let receiver: Receiver;
const past = () => new Date(Date.now() - 1000);

beforeAll(async () => {
  actor = await createActor('Contributor');
  receiver = useReceiver();
});

/** A fresh cloud registry with an endpoint for `events`, so each test sees only its own events. */
async function registryWithEndpoint(events: string[], expiryWarningDays = 7) {
  const registry = await createCloudRegistryFixture(actor);
  const { secret } = await createWebhook(
    actor,
    registry,
    createWebhookInput.parse({ name: 'alerts', url: receiver.url, events, expiryWarningDays }),
  );
  receiver.secrets.push(secret);
  await createScopeMap(actor, registry, { name: 'pullmap', actions: ['repositories/app/content/read'] });
  return registry;
}

async function connected(registry: string, name = uniqueName('edge')) {
  await createConnectedRegistryFixture(actor, registry, { name });
  return name;
}

const pendingOf = (registry: string) =>
  getDb().webhookDelivery.findMany({ where: { endpoint: { cloudRegistry: { name: registry } } }, orderBy: { createdAt: 'asc' } });

/** Delivers what is queued and returns what reached the receiver for `registry`. */
async function deliveredFor(registry: string) {
  await createWebhookWorker().runOnce();
  return receiver.received.filter((r) => String(r.event.source).endsWith(`/registries/${registry}`));
}

describe('events written with the change', () => {
  it('token disabled and enabled: queued in the same transaction, then delivered signed as CloudEvents', async () => {
    const registry = await registryWithEndpoint(['io.canopy.token.disabled', 'io.canopy.token.enabled']);
    await createToken(actor, registry, { name: 'client-one', scopeMap: 'pullmap', status: 'enabled', noPasswords: true });
    await updateToken(actor, registry, 'client-one', { status: 'disabled' });
    // the outbox row committed with the change, before any worker ran
    expect((await pendingOf(registry)).map((d) => d.eventType)).toEqual(['io.canopy.token.disabled']);
    await updateToken(actor, registry, 'client-one', { status: 'enabled' });
    // a refused change writes no event
    await rejection(updateToken(actor, registry, 'client-one', { status: 'disabled', scopeMap: 'no-such-map' }));
    const got = await deliveredFor(registry);
    expect(got.map((r) => r.event.type)).toEqual(['io.canopy.token.disabled', 'io.canopy.token.enabled']);
    expect(got.every((r) => r.validSignatures === 1)).toBe(true);
    expect(got[0].event).toMatchObject({
      specversion: '1.0',
      subject: 'tokens/client-one',
      datacontenttype: 'application/json',
      data: { registry, token: { name: 'client-one', status: 'disabled' }, link: expect.stringMatching(/\/tokens\/client-one\?registry=/) },
    });
    expect(got[0].event.id).toBe(got[0].headers['webhook-id']);
  });

  it('connected registry disabled and enabled (through its sync token)', async () => {
    const registry = await registryWithEndpoint(['*']);
    const edge = await connected(registry);
    await updateToken(actor, registry, `${edge}-sync-token`, { status: 'disabled' });
    await updateToken(actor, registry, `${edge}-sync-token`, { status: 'enabled' });
    const got = await deliveredFor(registry);
    expect(got.map((r) => r.event.type)).toEqual(['io.canopy.connectedRegistry.disabled', 'io.canopy.connectedRegistry.enabled']);
    expect(got[0].event).toMatchObject({
      subject: `connectedRegistries/${edge}`,
      data: { connectedRegistry: { name: edge, status: 'disabled' } },
    });
  });

  it('forwards audit events as io.canopy.audit.<action> to endpoints that ask, not to "*"', async () => {
    const registry = await registryWithEndpoint(['io.canopy.audit.*']);
    await createToken(actor, registry, { name: 'audited', scopeMap: 'pullmap', status: 'enabled', noPasswords: true });
    const got = await deliveredFor(registry);
    expect(got.map((r) => r.event.type)).toContain('io.canopy.audit.token.create');
    const forwarded = got.find((r) => r.event.type === 'io.canopy.audit.token.create')!;
    expect(forwarded.event).toMatchObject({
      subject: 'tokens/audited',
      data: { action: 'token.create', actor: actor.email, targetName: 'audited' },
    });
    const star = await registryWithEndpoint(['*']);
    await createToken(actor, star, { name: 'quiet', scopeMap: 'pullmap', status: 'enabled', noPasswords: true });
    expect(await pendingOf(star)).toHaveLength(0);
  });
});

describe('detectors', () => {
  it('offline after 3 minutes of silence, one event per registry also when many go together, once per silence; online when it reports again', async () => {
    const registry = await registryWithEndpoint(['io.canopy.connectedRegistry.offline', 'io.canopy.connectedRegistry.online']);
    const edges = [await connected(registry), await connected(registry), await connected(registry)];
    const silentSince = new Date(Date.now() - 4 * 60_000);
    await getDb().connectedRegistry.updateMany({
      where: { name: { in: edges } },
      data: { lastActivityTime: silentSince, connectionState: 'Online' },
    });
    // during the quiet time after a start nothing is reported offline
    await detectConditions({ quietUntil: new Date(Date.now() + 60_000) });
    expect(await pendingOf(registry)).toHaveLength(0);

    await detectConditions({ quietUntil: past() });
    await detectConditions({ quietUntil: past() });
    const offline = await deliveredFor(registry);
    expect(offline.map((r) => r.event.type)).toEqual(Array(3).fill('io.canopy.connectedRegistry.offline'));
    expect(offline.map((r) => r.event.subject).sort()).toEqual(edges.map((e) => `connectedRegistries/${e}`).sort());
    expect(offline.every((r) => r.validSignatures === 1)).toBe(true);

    await getDb().connectedRegistry.updateMany({ where: { name: edges[0] }, data: { lastActivityTime: new Date() } });
    await detectConditions({ quietUntil: past() });
    await detectConditions({ quietUntil: past() });
    const all = await deliveredFor(registry);
    expect(all.map((r) => r.event.type)).toEqual([
      ...Array(3).fill('io.canopy.connectedRegistry.offline'),
      'io.canopy.connectedRegistry.online',
    ]);
    expect(all[3].event).toMatchObject({
      subject: `connectedRegistries/${edges[0]}`,
      data: { connectedRegistry: { connectionState: 'Online' } },
    });
  });

  it('passwordExpiring and passwordExpired once per slot and threshold, across runs and instances', async () => {
    const registry = await registryWithEndpoint(['io.canopy.token.passwordExpiring', 'io.canopy.token.passwordExpired'], 7);
    const inTwoDays = new Date(Date.now() + 2 * 86400_000).toISOString();
    const inMonth = new Date(Date.now() + 30 * 86400_000).toISOString();
    await createToken(actor, registry, {
      name: 'soon-expiring',
      scopeMap: 'pullmap',
      status: 'enabled',
      noPasswords: false,
      expiry: inTwoDays,
    });
    await createToken(actor, registry, {
      name: 'later-expiring',
      scopeMap: 'pullmap',
      status: 'enabled',
      noPasswords: false,
      expiry: inMonth,
    });
    await createToken(actor, registry, {
      name: 'just-expired',
      scopeMap: 'pullmap',
      status: 'enabled',
      noPasswords: false,
      expiry: inMonth,
    });
    // Expired passwords count only when they expired after the endpoint was made: make the
    // endpoint an hour old, and the slot expire a minute ago (a fast machine creates all of the
    // above within 100 ms, so "now - 100 ms" could fall before the endpoint existed).
    await getDb().webhookEndpoint.updateMany({
      where: { cloudRegistry: { name: registry } },
      data: { createdAt: new Date(Date.now() - 3600_000) },
    });
    await getDb().tokenPassword.updateMany({
      where: { token: { name: 'just-expired', cloudRegistry: { name: registry } }, slot: 'password1' },
      data: { expiry: new Date(Date.now() - 60_000) },
    });

    // this instance twice, and a second instance with its own connection pool
    await detectConditions({ quietUntil: past() });
    await detectConditions({ quietUntil: past() });
    const other = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url(), max: 1 }) }) as unknown as Db;
    try {
      await detectConditions({ quietUntil: past(), db: other });
    } finally {
      await other.$disconnect();
    }
    const got = await deliveredFor(registry);
    const summary = got.map((r) => `${r.event.type} ${r.event.subject}`).sort();
    expect(summary).toEqual([
      'io.canopy.token.passwordExpired tokens/just-expired/passwords/password1',
      'io.canopy.token.passwordExpiring tokens/soon-expiring/passwords/password1',
      'io.canopy.token.passwordExpiring tokens/soon-expiring/passwords/password2',
    ]);
    expect(got.find((r) => r.event.type === 'io.canopy.token.passwordExpiring')!.event).toMatchObject({
      data: {
        token: { name: 'soon-expiring', kind: 'client' },
        password: { expiry: new Date(inTwoDays).toISOString() },
        expiryWarningDays: 7,
      },
    });

    // a larger threshold is a new threshold: the month-away slots are announced once under it
    await getDb().webhookEndpoint.updateMany({ where: { cloudRegistry: { name: registry } }, data: { expiryWarningDays: 31 } });
    await detectConditions({ quietUntil: past() });
    await detectConditions({ quietUntil: past() });
    const after = await deliveredFor(registry);
    expect(after.filter((r) => r.event.subject === 'tokens/later-expiring/passwords/password1')).toHaveLength(1);
    expect(after.filter((r) => r.event.subject === 'tokens/soon-expiring/passwords/password1')).toHaveLength(2);
  });

  it('notices at once a change that creates a condition: a password set to expire in two days', async () => {
    const registry = await registryWithEndpoint(['io.canopy.token.passwordExpiring']);
    await createToken(actor, registry, { name: 'rotated-now', scopeMap: 'pullmap', status: 'enabled', noPasswords: true });
    // the server's scheduler: its minute tick is far away, so only the change can trigger it
    const webhooks = startWebhooks({ detectEveryMs: 3_600_000, quietMs: 0 });
    try {
      await new Promise((r) => setTimeout(r, 300)); // its first run at start
      const before = receiver.received.length;
      await regeneratePassword(actor, registry, 'rotated-now', {
        name: 'password1',
        expiry: new Date(Date.now() + 2 * 86400_000).toISOString(),
      });
      const got = await receiver.waitFor(before + 1, 10_000);
      expect(got[before].event).toMatchObject({
        type: 'io.canopy.token.passwordExpiring',
        subject: 'tokens/rotated-now/passwords/password1',
      });
      expect(got[before].validSignatures).toBe(1);
    } finally {
      await webhooks.stop();
    }
  });
});

describe('the scheduler the server runs', () => {
  it('sends no offline event for the quiet time after the database comes back, then does', async () => {
    const registry = await registryWithEndpoint(['io.canopy.connectedRegistry.offline']);
    const edge = await connected(registry);
    const quietMs = 1500;
    const webhooks = startWebhooks({ detectEveryMs: 3_600_000, quietMs });
    const url = process.env.DATABASE_URL!;
    try {
      await new Promise((r) => setTimeout(r, quietMs + 200)); // the quiet time after the start is over
      // the database goes away…
      await disconnectDb();
      process.env.DATABASE_URL = 'postgresql://nobody:nothing@127.0.0.1:1/none';
      await webhooks.runDetectors();
      // …and comes back, while the registry has been silent for 4 minutes
      await disconnectDb();
      process.env.DATABASE_URL = url;
      await getDb().connectedRegistry.updateMany({ where: { name: edge }, data: { lastActivityTime: new Date(Date.now() - 4 * 60_000) } });
      await webhooks.runDetectors();
      expect(await pendingOf(registry)).toHaveLength(0);
      // once the quiet time after the outage is over, the silence counts
      await new Promise((r) => setTimeout(r, quietMs + 200));
      await webhooks.runDetectors();
      expect((await pendingOf(registry)).map((d) => d.eventType)).toEqual(['io.canopy.connectedRegistry.offline']);
    } finally {
      process.env.DATABASE_URL = url;
      await webhooks.stop();
    }
  });

  it('prunes deliveries that ended more than 30 days ago, keeping pending ones', async () => {
    const registry = await registryWithEndpoint(['io.canopy.token.disabled', 'io.canopy.token.enabled']);
    await createToken(actor, registry, { name: 'pruned-one', scopeMap: 'pullmap', status: 'enabled', noPasswords: true });
    await updateToken(actor, registry, 'pruned-one', { status: 'disabled' });
    await updateToken(actor, registry, 'pruned-one', { status: 'enabled' });
    const [old, pending] = await pendingOf(registry);
    expect([old?.eventType, pending?.eventType]).toEqual(['io.canopy.token.disabled', 'io.canopy.token.enabled']);
    await getDb()
      .$executeRaw`UPDATE "WebhookDelivery" SET "status" = 'delivered', "updatedAt" = now() - interval '31 days' WHERE "id" = ${old.id}::uuid`;
    await getDb().$executeRaw`UPDATE "WebhookDelivery" SET "updatedAt" = now() - interval '31 days' WHERE "id" = ${pending.id}::uuid`;
    await detectConditions({ quietUntil: past() });
    expect((await pendingOf(registry)).map((d) => d.id)).toEqual([pending.id]);
  });
});

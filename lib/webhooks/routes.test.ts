// The webhooks REST API through its route handlers against a real database: the secret only
// in the no-store answers that make it, stored encrypted; roles; URL safety; audit.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as deliveriesRoute from '@/app/api/v1/registries/[registry]/webhooks/[name]/deliveries/route';
import * as redeliverRoute from '@/app/api/v1/registries/[registry]/webhooks/[name]/deliveries/[id]/redeliver/route';
import * as webhookRoute from '@/app/api/v1/registries/[registry]/webhooks/[name]/route';
import * as testRoute from '@/app/api/v1/registries/[registry]/webhooks/[name]/test/route';
import * as webhooksRoute from '@/app/api/v1/registries/[registry]/webhooks/route';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { registryRoutes, type ErrorBody } from '@/test/routes';
import { openSecret } from './secrets';

setupTestDatabase();

const cloud = 'hooks';
let contributor: Actor & { bearer: string };
let reader: Actor & { bearer: string };

beforeAll(async () => {
  contributor = await createActorWithBearer('Contributor');
  reader = await createActorWithBearer('Reader');
  await createCloudRegistryFixture(contributor, cloud);
});

afterEach(() => {
  delete process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE;
  delete process.env.CANOPY_SECRET_KEY;
});

const { request, params } = registryRoutes(cloud);

async function create(body: Record<string, unknown>) {
  return webhooksRoute.POST(request(contributor, 'POST', '/webhooks', body), params({}));
}

describe('POST R/webhooks', () => {
  it('creates an endpoint and shows its whsec_ secret once, no-store; the stored secret is encrypted with CANOPY_SECRET_KEY', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    process.env.CANOPY_SECRET_KEY = 'test-secret-key';
    const res = await create({ name: 'ops-alerts', url: 'http://127.0.0.1:9/hook', events: ['io.canopy.token.disabled'] });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { secret: string; events: string[]; expiryWarningDays: number; enabled: boolean };
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(body).toMatchObject({ events: ['io.canopy.token.disabled'], expiryWarningDays: 7, enabled: true });

    const row = await getDb().webhookEndpoint.findFirstOrThrow({ where: { name: 'ops-alerts' }, omit: { secret: false } });
    expect(row.secretEncrypted).toBe(true);
    expect(row.secret).not.toContain(body.secret.slice(6));
    expect(openSecret(row.secret, row.secretEncrypted)).toBe(body.secret);

    const got = await webhookRoute.GET(request(reader, 'GET', '/webhooks/ops-alerts'), params({ name: 'ops-alerts' }));
    expect(got.status).toBe(200);
    expect(JSON.stringify(await got.json())).not.toContain('whsec_');
    const list = (await (await webhooksRoute.GET(request(reader, 'GET', '/webhooks'), params({}))).json()) as { items: { name: string }[] };
    expect(list.items.map((w) => w.name)).toContain('ops-alerts');
    expect(JSON.stringify(list)).not.toContain('whsec_');

    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'webhook.create', targetName: 'ops-alerts' } });
    expect(JSON.stringify(audit.details)).not.toContain('whsec_');
  });

  it('refuses a Reader with 403 and writes nothing', async () => {
    const res = await webhooksRoute.POST(
      request(reader, 'POST', '/webhooks', { name: 'by-reader', url: 'https://example.com/x' }),
      params({}),
    );
    expect(res.status).toBe(403);
    expect(await getDb().webhookEndpoint.count({ where: { name: 'by-reader' } })).toBe(0);
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook', /loopback or private/],
    ['a name that resolves to loopback', 'http://localhost:8080/hook', /loopback or private/],
    ['10/8', 'https://10.1.2.3/hook', /loopback or private/],
    ['172.16/12', 'https://172.20.0.1/hook', /loopback or private/],
    ['192.168/16', 'https://192.168.1.1/hook', /loopback or private/],
    ['100.64/10', 'https://100.64.0.1/hook', /loopback or private/],
    ['fc00::/7', 'https://[fd12::1]/hook', /loopback or private/],
    ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/hook', /loopback or private/],
    ['IPv6 loopback', 'http://[::1]/hook', /loopback or private/],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data', /link-local/],
    ['IPv6 link-local', 'http://[fe80::1]/hook', /link-local/],
    ['0.0.0.0/8', 'http://0.0.0.0:8080/hook', /link-local, unspecified/],
    ['another scheme', 'ftp://example.com/hook', /Only http and https/],
    ['credentials in the URL', 'https://user:pw@example.com/hook', /no credentials/],
  ])('refuses %s with 400 on the url field', async (_what, url, message) => {
    const res = await create({ name: 'unsafe', url });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details[0]).toMatchObject({ field: 'url', message: expect.stringMatching(message) });
    expect(await getDb().webhookEndpoint.count({ where: { name: 'unsafe' } })).toBe(0);
  });

  it('allows loopback with CANOPY_WEBHOOK_ALLOW_PRIVATE=true, but never link-local or 0.0.0.0/8', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    expect((await create({ name: 'private-ok', url: 'http://[::ffff:127.0.0.1]:9/hook' })).status).toBe(201);
    expect((await create({ name: 'metadata', url: 'http://169.254.169.254/' })).status).toBe(400);
    expect((await create({ name: 'mapped-metadata', url: 'http://[::ffff:169.254.169.254]/' })).status).toBe(400);
    expect((await create({ name: 'zero-net', url: 'http://0.1.2.3/' })).status).toBe(400);
  });

  it('refuses unknown event types, bad expiryWarningDays, unknown fields and malformed JSON with 400', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    const bad = async (body: unknown, field?: string) => {
      const res = await webhooksRoute.POST(request(contributor, 'POST', '/webhooks', body), params({}));
      expect(res.status).toBe(400);
      const json = (await res.json()) as ErrorBody;
      if (field) expect(json.error.details.map((d) => d.field)).toContain(field);
    };
    await bad({ name: 'bad-events', url: 'http://127.0.0.1:9/', events: ['io.canopy.nothing'] }, 'events.0');
    await bad({ name: 'bad-events', url: 'http://127.0.0.1:9/', events: [] }, 'events');
    await bad({ name: 'bad-days', url: 'http://127.0.0.1:9/', expiryWarningDays: 0 }, 'expiryWarningDays');
    await bad({ name: 'bad-days', url: 'http://127.0.0.1:9/', secret: 'whsec_mine' });
    await bad('{"name": ');
    await bad({ name: 'x', url: 'http://127.0.0.1:9/' }, 'name');
    expect(await getDb().webhookEndpoint.count({ where: { name: { in: ['bad-events', 'bad-days'] } } })).toBe(0);
  });

  it('refuses a second endpoint of the same name with 409', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    expect((await create({ name: 'twice', url: 'http://127.0.0.1:9/' })).status).toBe(201);
    const again = await create({ name: 'TWICE', url: 'http://127.0.0.1:9/' });
    expect(again.status).toBe(409);
  });
});

describe('PATCH and DELETE R/webhooks/{name}', () => {
  it('Rotate secret answers a new secret once and keeps the old one signing for 24 hours', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    const first = (await (await create({ name: 'rotating', url: 'http://127.0.0.1:9/' })).json()) as { secret: string };
    const res = await webhookRoute.PATCH(
      request(contributor, 'PATCH', '/webhooks/rotating', { rotateSecret: true }),
      params({ name: 'rotating' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { secret: string; previousSecretUntil: string };
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(first.secret);
    const until = new Date(body.previousSecretUntil).getTime() - Date.now();
    expect(until).toBeGreaterThan(23.9 * 3600_000);
    expect(until).toBeLessThanOrEqual(24 * 3600_000);
    const row = await getDb().webhookEndpoint.findFirstOrThrow({
      where: { name: 'rotating' },
      omit: { secret: false, previousSecret: false },
    });
    expect(openSecret(row.previousSecret!, row.previousSecretEncrypted)).toBe(first.secret);
    expect(await getDb().auditEvent.count({ where: { action: 'webhook.rotateSecret', targetName: 'rotating' } })).toBe(1);
  });

  it('changes events and enabled, audited; Reader gets 403; DELETE removes it', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    await create({ name: 'changing', url: 'http://127.0.0.1:9/' });
    const denied = await webhookRoute.PATCH(
      request(reader, 'PATCH', '/webhooks/changing', { enabled: false }),
      params({ name: 'changing' }),
    );
    expect(denied.status).toBe(403);
    const res = await webhookRoute.PATCH(
      request(contributor, 'PATCH', '/webhooks/changing', { enabled: false, events: ['*', 'io.canopy.audit.*'], expiryWarningDays: 14 }),
      params({ name: 'changing' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, events: ['*', 'io.canopy.audit.*'], expiryWarningDays: 14 });
    expect(
      JSON.stringify((await getDb().auditEvent.findFirstOrThrow({ where: { action: 'webhook.update', targetName: 'changing' } })).details),
    ).toContain('"enabled":false');
    const test = await testRoute.POST(request(contributor, 'POST', '/webhooks/changing/test'), params({ name: 'changing' }));
    expect(test.status).toBe(409);
    const del = await webhookRoute.DELETE(request(contributor, 'DELETE', '/webhooks/changing'), params({ name: 'changing' }));
    expect(del.status).toBe(204);
    expect((await webhookRoute.GET(request(reader, 'GET', '/webhooks/changing'), params({ name: 'changing' }))).status).toBe(404);
  });
});

describe('Send test, the delivery log and Redeliver', () => {
  it('queues a test event, lists it in the log, and Redeliver requeues the same event id', async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    await create({ name: 'tested', url: 'http://127.0.0.1:9/', events: ['io.canopy.token.enabled'] });
    const res = await testRoute.POST(request(contributor, 'POST', '/webhooks/tested/test'), params({ name: 'tested' }));
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: string; eventId: string; eventType: string; status: string; event: Record<string, unknown> };
    expect(queued).toMatchObject({ eventType: 'io.canopy.webhook.test', status: 'pending' });
    expect(queued.event).toMatchObject({
      specversion: '1.0',
      id: queued.eventId,
      type: 'io.canopy.webhook.test',
      subject: 'webhooks/tested',
      datacontenttype: 'application/json',
    });
    expect(String(queued.event.source)).toMatch(/\/registries\/hooks$/);

    // mark it failed, as the worker would after the last retry
    await getDb().webhookDelivery.update({
      where: { id: queued.id },
      data: { status: 'failed', retryStep: 8, nextAttemptAt: new Date(Date.now() + 3600_000) },
    });
    const log = (await (
      await deliveriesRoute.GET(request(reader, 'GET', '/webhooks/tested/deliveries?status=failed'), params({ name: 'tested' }))
    ).json()) as { items: { id: string }[] };
    expect(log.items.map((d) => d.id)).toEqual([queued.id]);

    const denied = await redeliverRoute.POST(
      request(reader, 'POST', `/webhooks/tested/deliveries/${queued.id}/redeliver`),
      params({ name: 'tested', id: queued.id }),
    );
    expect(denied.status).toBe(403);
    const again = await redeliverRoute.POST(
      request(contributor, 'POST', `/webhooks/tested/deliveries/${queued.id}/redeliver`),
      params({ name: 'tested', id: queued.id }),
    );
    expect(again.status).toBe(202);
    const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ status: 'pending', retryStep: 0, eventId: queued.eventId });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    const notFound = await redeliverRoute.POST(
      request(contributor, 'POST', '/webhooks/tested/deliveries/x/redeliver'),
      params({ name: 'tested', id: 'not-a-uuid' }),
    );
    expect(notFound.status).toBe(400);
    const missing = await redeliverRoute.POST(
      request(contributor, 'POST', '/x'),
      params({ name: 'tested', id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(missing.status).toBe(404);
    const badCursor = await deliveriesRoute.GET(
      request(reader, 'GET', '/webhooks/tested/deliveries?cursor=nope'),
      params({ name: 'tested' }),
    );
    expect(badCursor.status).toBe(400);
  });
});

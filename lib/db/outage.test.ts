// The data plane through a PostgreSQL outage: a server of this test's own (its own initdb
// cluster on a free port, never the shared one) is stopped under bounded load. Clients the token
// service served before the outage keep getting grants; the gateway keeps serving the config of
// a registry it served before; what cannot be answered from memory is a 503 with Retry-After,
// never a 500; when the database returns, LISTEN resumes and the caches that may have missed a
// change are dropped. Past a minute of outage, nothing is answered from memory.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { disconnectDb, getDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrate';
import { OUTAGE_GRACE_MS, outageSince } from '@/lib/db/outage';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createScopeMap } from '@/lib/scope-maps/service';
import { handleTokenRequest } from '@/lib/token-service/endpoint';
import { ensureSigningKey } from '@/lib/token-service/keys';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { startOwnPostgres, type OwnPostgres } from '@/test/own-postgres';
import { basicAuth, callGateway } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { POST as postStatus } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/status/route';

let server: OwnPostgres;
let actor: Actor;
const CLIENTS = 8;
const pw: Record<string, string> = {};
let syncPassword = '';
const SERVICE = 'till.store.local';
const CLOUD = 'outage.azurecr.io';

function grant(user: string, password: string, extra = '', address = '10.7.0.1', service = SERVICE) {
  return handleTokenRequest(
    new Request(`http://canopy.test/oauth2/token?service=${service}&scope=repository:pos/app:pull${extra}`, {
      headers: { authorization: basicAuth(user, password), 'x-canopy-client-address': address },
    }),
  );
}

function refresh(refreshToken: string) {
  return handleTokenRequest(
    new Request('http://canopy.test/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-canopy-client-address': '10.7.0.2' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        service: SERVICE,
        client_id: 'docker',
        scope: 'repository:pos/app:pull',
      }).toString(),
    }),
  );
}

/** till01's gateway call, as its edge makes it (`name` another registry's, for one that does not exist). */
const till = (endpoint: string, name = 'till01') => ({
  registry: 'outage',
  name,
  endpoint,
  user: 'till01-sync-token',
  password: syncPassword,
  address: '10.7.0.3',
  instance: 'till-box',
});

const config = (etag?: string, wait = 0) => callGateway(getConfig, { ...till('config'), etag, wait });
const status = () => callGateway(postStatus, { ...till('status'), body: { connectionState: 'Online' } });

beforeAll(async () => {
  server = await startOwnPostgres();
  await migrate(server.url);
  process.env.DATABASE_URL = server.url;
  process.env.DATABASE_POOL_MAX = '5';
  process.env.CANOPY_EMBEDDED = '0';
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'outage');
  await createScopeMap(actor, 'outage', {
    name: 'pos-pull',
    actions: ['repositories/pos/app/content/read', 'repositories/pos/app/metadata/read'],
  });
  const names = [...Array.from({ length: CLIENTS }, (_, i) => `client${i}`), 'latecomer', 'missed'];
  for (const name of names) {
    pw[name] = (
      await createToken(actor, 'outage', { name, scopeMap: 'pos-pull', status: 'enabled', noPasswords: false })
    ).passwords[0].value;
  }
  // ('missed' is not one of till01's client tokens: it uses the cloud registry's login server)
  await createConnectedRegistry(actor, 'outage', {
    name: 'till01',
    mode: 'ReadOnly',
    loginServer: SERVICE,
    repositories: ['pos/app'],
    clientTokens: names.filter((n) => n !== 'missed'),
    notifications: [],
  });
  syncPassword = (await connectionSettings(actor, 'outage', 'till01', { parentProtocol: 'https', generatePassword: 'password1' })).password!
    .value;
  await ensureSigningKey();
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  await disconnectDb();
  await server?.destroy();
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a PostgreSQL outage', () => {
  it('clients served before it keep their grants, the gateway keeps serving, the rest is 503 + Retry-After, and the caches are dropped when it ends', async () => {
    // served before the outage: the registry's config (its first fetch activates it), every
    // client, a refresh token
    const first = await config();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    // The activation's announcement dropped what that first fetch had read before it (the cloud
    // registry, the sync token, the registry as Inactive). An active registry's fetch, as its edge
    // makes them all day, is what the gateway answers from in an outage: made and awaited here,
    // not left to the long poll below racing the stop (which made this test flaky under load).
    // Nothing announces a change after it: this process skips its own NOTIFY (change-feed.ts).
    const served = await config();
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe(etag);
    for (let i = 0; i < CLIENTS; i++) expect((await grant(`client${i}`, pw[`client${i}`])).status).toBe(200);
    const offline = await grant('client0', pw.client0, '&offline_token=true');
    const refreshToken = (await offline.json()).refresh_token as string;
    expect((await refresh(refreshToken)).status).toBe(200);
    expect((await grant('missed', pw.missed, '', '10.7.0.9', CLOUD)).status).toBe(200);
    // a change this instance does not hear of (as if made while it was not listening): the token
    // service keeps serving what it holds until the caches are dropped
    await getDb().$executeRawUnsafe(`UPDATE "Token" SET status = 'disabled' WHERE name = 'missed'`);
    expect((await grant('missed', pw.missed, '', '10.7.0.9', CLOUD)).status).toBe(200);

    // bounded load: each client asks for a grant every 25 ms
    type Answer = { status: number; at: number };
    const answers: Answer[] = [];
    let loading = true;
    const load = Array.from({ length: CLIENTS }, async (_, i) => {
      while (loading) {
        const res = await grant(`client${i}`, pw[`client${i}`], '', `10.7.1.${i}`);
        if (res.status === 200) decodeJwt((await res.json()).token);
        answers.push({ status: res.status, at: Date.now() });
        await sleep(25);
      }
    });
    const longPoll = config(etag, 20);
    await sleep(1000);

    await server.stop();
    const stoppedAt = Date.now();
    await sleep(500);
    // during the outage
    expect((await refresh(refreshToken)).status).toBe(200);
    const again = await config();
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe(etag);
    const newcomer = await grant('latecomer', pw.latecomer);
    expect(newcomer.status).toBe(503);
    expect(Number(newcomer.headers.get('retry-after'))).toBeGreaterThan(0);
    const wrong = await grant('client1', 'not-the-password', '', '10.7.2.1');
    expect(wrong.status).toBe(401);
    const report = await status();
    expect(report.status).toBe(503);
    expect(Number(report.headers.get('retry-after'))).toBeGreaterThan(0);
    const unknownRegistry = await callGateway(getConfig, till('config', 'till02'));
    expect([401, 403, 503]).toContain(unknownRegistry.status);
    await sleep(6000);
    await server.start();
    const restartedAt = Date.now();

    // LISTEN resumes, and the caches are dropped: the change made unheard is now seen
    await expect
      .poll(async () => (await grant('missed', pw.missed, '', '10.7.0.9', CLOUD)).status, { timeout: 15_000, interval: 200 })
      .toBe(401);
    expect(outageSince()).toBeNull();
    expect((await grant('latecomer', pw.latecomer)).status).toBe(200);
    await sleep(1000);
    loading = false;
    await Promise.all(load);
    const polled = await longPoll;
    expect([200, 304]).toContain(polled.status);

    const during = answers.filter((a) => a.at > stoppedAt && a.at < restartedAt);
    expect(during.length).toBeGreaterThan(CLIENTS * 20);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  }, 90_000);

  it('answers nothing from memory after a minute of outage: 503 with Retry-After', async () => {
    expect((await grant('client2', pw.client2)).status).toBe(200);
    expect((await config()).status).toBe(200);
    await server.stop();
    try {
      expect((await grant('client2', pw.client2)).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + OUTAGE_GRACE_MS + 1000);
      const late = await grant('client2', pw.client2);
      expect(late.status).toBe(503);
      expect(Number(late.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await config()).status).toBe(503);
    } finally {
      vi.useRealTimers();
      await server.start();
    }
    await expect.poll(async () => (await grant('client2', pw.client2)).status, { timeout: 15_000, interval: 200 }).toBe(200);
  }, 60_000);
});

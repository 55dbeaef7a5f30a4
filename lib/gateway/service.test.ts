// Over 300 lines on purpose: the gateway's two endpoints (config, status) and the change feed that
// links them, on the same registries and sync tokens.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { onChange } from '@/lib/db/change-feed';
import { getDb } from '@/lib/db/client';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { deactivateConnectedRegistry } from '@/lib/registries/service/deactivate-connected-registry';
import { getConnectedRegistry } from '@/lib/registries/queries';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createScopeMap, updateScopeMap } from '@/lib/scope-maps/service';
import { verifyTokenPassword } from '@/lib/tokens/passwords';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePassword } from '@/lib/tokens/service/regenerate-passwords';
import { updateToken } from '@/lib/tokens/service/update-token';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { basicAuth as auth, callGateway } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { POST as postStatus } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/status/route';
import { fetchConfig } from './service/fetch-config';
import { reportStatus } from './service/report-status';

const db = setupTestDatabase();
let actor: Actor;
let syncPassword = '';
let clientPassword = '';

function config(
  name: string,
  opts: { user?: string; password?: string; etag?: string; wait?: number; instance?: string; address?: string } = {},
) {
  return callGateway(getConfig, {
    registry: 'contoso',
    name,
    endpoint: 'config',
    user: opts.user ?? `${name}-sync-token`,
    password: opts.password ?? syncPassword,
    address: opts.address ?? '10.2.0.1',
    instance: opts.instance,
    etag: opts.etag,
    wait: opts.wait,
  });
}

beforeAll(async () => {
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'contoso');
  await createScopeMap(actor, 'contoso', {
    name: 'web-pull',
    actions: ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'],
  });
  clientPassword = (await createToken(actor, 'contoso', { name: 'kiosk', scopeMap: 'web-pull', status: 'enabled', noPasswords: false }))
    .passwords[0].value;
  await createConnectedRegistry(actor, 'contoso', {
    name: 'store01',
    mode: 'ReadOnly',
    loginServer: 'store01.local',
    repositories: ['apps/web'],
    clientTokens: ['kiosk'],
    notifications: [],
  });
  syncPassword = (await connectionSettings(actor, 'contoso', 'store01', { parentProtocol: 'https', generatePassword: 'password1' }))
    .password!.value;
});

describe('GET …/config', () => {
  it('returns the configuration with verifiers (never passwords), and an ETag', async () => {
    const res = await config('store01', { instance: 'box-a' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({
      name: 'store01',
      mode: 'ReadOnly',
      repositories: ['apps/web'],
      syncSchedule: '* * * * *',
      syncMessageTtl: 'P2D',
      logLevel: 'Information',
      parent: { kind: 'cloudRegistry', dataEndpoint: 'contoso.westus2.data.azurecr.io', protocol: 'https' },
    });
    const kiosk = body.clientTokens[0];
    expect(kiosk).toMatchObject({
      name: 'kiosk',
      status: 'enabled',
      actions: ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'],
    });
    expect(JSON.stringify(body)).not.toContain(clientPassword);
    // the verifier lets the registry check the password offline
    expect(verifyTokenPassword(kiosk.passwords[0].verifier, clientPassword)).toBe(true);
  });

  it('activates the registry on its first fetch and refuses a second instance with 409 until deactivated', async () => {
    expect((await getConnectedRegistry('contoso', 'store01')).activationStatus).toBe('Active');
    const second = await config('store01', { instance: 'box-b' });
    expect(second.status).toBe(409);
    expect((await second.json()).error.code).toBe('already_active');
    expect((await config('store01', { instance: 'box-a' })).status).toBe(200);
    await deactivateConnectedRegistry(actor, 'contoso', 'store01');
    expect((await config('store01', { instance: 'box-b' })).status).toBe(200);
    expect((await config('store01', { instance: 'box-a' })).status).toBe(409);
    await deactivateConnectedRegistry(actor, 'contoso', 'store01');
    expect((await config('store01', { instance: 'box-a' })).status).toBe(200);
  });

  it('answers 304 when nothing changed before the wait ended', async () => {
    const etag = (await config('store01', { instance: 'box-a' })).headers.get('etag')!;
    const started = Date.now();
    const res = await config('store01', { instance: 'box-a', etag, wait: 1 });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends a long poll at once when the server shuts down (304), but answers a plain fetch caught by the shutdown with its configuration', async () => {
    const res = await config('store01', { instance: 'box-a' });
    const etag = res.headers.get('etag')!;
    const headers = new Headers({
      authorization: auth('store01-sync-token', syncPassword),
      'x-canopy-client-address': '10.2.0.1',
      'x-connected-registry-instance': 'box-a',
    });
    const shutDown = AbortSignal.abort();
    // the poll would wait 30 s: it is answered without waiting
    expect(await fetchConfig(headers, 'contoso', 'store01', { wait: 30, ifNoneMatch: etag, signal: shutDown })).toEqual({
      status: 304,
      etag,
    });
    // before the fix, a fetch without If-None-Match got a 304 with an empty ETag
    const plain = await fetchConfig(headers, 'contoso', 'store01', { wait: 0, ifNoneMatch: null, signal: shutDown });
    expect(plain).toMatchObject({ status: 200, etag, config: { name: 'store01' } });
  });

  const changes: [string, () => Promise<unknown>][] = [
    ['a client token is disabled', () => updateToken(actor, 'contoso', 'kiosk', { status: 'disabled' })],
    ['a client token slot is regenerated', () => regeneratePassword(actor, 'contoso', 'kiosk', { name: 'password2' })],
    [
      'the client token’s scope map is edited',
      () => updateScopeMap(actor, 'contoso', 'web-pull', { addActions: ['repositories/apps/api/content/read'] }),
    ],
    ['the registry’s own settings change', () => updateConnectedRegistry(actor, 'contoso', 'store01', { logLevel: 'Debug' })],
  ];
  for (const [what, change] of changes) {
    it(`a long poll is woken when ${what}`, async () => {
      const etag = (await config('store01', { instance: 'box-a' })).headers.get('etag')!;
      const poll = config('store01', { instance: 'box-a', etag, wait: 30 });
      await new Promise((r) => setTimeout(r, 200));
      const changedAt = Date.now();
      await change();
      const res = await poll;
      // woken by the change, long before its 30 s wait would answer 304 (how fast is
      // bench:propagation's to measure, not a timed test's)
      expect(Date.now() - changedAt).toBeLessThan(15_000);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).not.toBe(etag);
    });
  }

  it('refuses a wrong password (401), a missing gateway action (403) and a correct password of a disabled registry (403 registry_disabled), with JSON errors', async () => {
    await updateToken(actor, 'contoso', 'kiosk', { status: 'enabled' });
    const wrong = await config('store01', { password: 'nope', address: '10.3.0.1' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('unauthorized');
    const noGateway = await config('store01', { user: 'kiosk', password: clientPassword, address: '10.3.0.2' });
    expect(noGateway.status).toBe(403);
    await updateToken(actor, 'contoso', 'store01-sync-token', { status: 'disabled' });
    const disabled = await config('store01', { instance: 'box-a', address: '10.3.0.3' });
    expect(disabled.status).toBe(403);
    expect((await disabled.json()).error.code).toBe('registry_disabled');
    // a wrong password stays a 401 while the registry is disabled: nothing is learned from it
    const wrongWhileDisabled = await config('store01', { password: 'nope', address: '10.3.0.4' });
    expect(wrongWhileDisabled.status).toBe(401);
    await updateToken(actor, 'contoso', 'store01-sync-token', { status: 'enabled' });
  });

  it('rate-limits failed gateway authentications per (sync token, address) with 429, without locking the registry out elsewhere', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) last = await config('store01', { password: `bad-${i}`, address: '10.4.0.1' });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // the sync token's name is predictable: the guesser must not stop the registry from syncing
    expect((await config('store01', { instance: 'box-a', address: '10.4.0.2' })).status).toBe(200);
  });
});

describe('the configuration document', () => {
  it('carries schemaVersion and its direct children’s sync tokens (verifiers, expiries, sync actions), nothing else of theirs', async () => {
    await createConnectedRegistry(actor, 'contoso', {
      name: 'hall01',
      mode: 'ReadWrite',
      loginServer: 'hall01.local',
      repositories: ['apps/web', 'apps/api'],
      clientTokens: [],
      notifications: [],
    });
    await createConnectedRegistry(actor, 'contoso', {
      name: 'line01',
      parent: 'hall01',
      mode: 'ReadOnly',
      loginServer: 'line01.local',
      repositories: ['apps/web'],
      clientTokens: ['kiosk'],
      notifications: [],
    });
    await createConnectedRegistry(actor, 'contoso', {
      name: 'cell01',
      parent: 'line01',
      mode: 'ReadOnly',
      loginServer: 'cell01.local',
      repositories: ['apps/web'],
      clientTokens: [],
      notifications: [],
    });
    const hallPassword = (await connectionSettings(actor, 'contoso', 'hall01', { parentProtocol: 'https', generatePassword: 'password1' }))
      .password!.value;
    const linePassword = (await connectionSettings(actor, 'contoso', 'line01', { parentProtocol: 'https', generatePassword: 'password1' }))
      .password!.value;
    const res = await config('hall01', { password: hallPassword, instance: 'hall-box' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.schemaVersion).toBe(1);
    // its edge relays the gateway requests of every registry below it
    expect(body.descendants).toEqual(['cell01', 'line01']);
    // line01 only: cell01 is a grandchild, it syncs through line01's edge
    expect(body.childSyncTokens.map((t: { name: string }) => t.name)).toEqual(['line01-sync-token']);
    const child = body.childSyncTokens[0];
    expect(child).toMatchObject({ registry: 'line01', mode: 'ReadOnly', status: 'enabled' });
    expect(child.actions).toContain('repositories/apps/web/content/read');
    expect(child.actions).toContain('gateway/line01/config/read');
    expect(child.actions).not.toContain('repositories/apps/web/content/write');
    expect(child.passwords.map((p: { name: string }) => p.name)).toEqual(['password1']);
    expect(verifyTokenPassword(child.passwords[0].verifier, linePassword)).toBe(true);
    expect(JSON.stringify(body)).not.toContain(linePassword);
    // nothing else of the child: its client tokens are not the parent's business
    expect(JSON.stringify(body)).not.toContain('kiosk');

    // disabling the child changes the parent's document (and so its ETag: the long poll wakes)
    const etag = res.headers.get('etag');
    await updateToken(actor, 'contoso', 'line01-sync-token', { status: 'disabled' });
    const after = await config('hall01', { password: hallPassword, instance: 'hall-box' });
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json()).childSyncTokens[0].status).toBe('disabled');
  });
});

describe('POST …/status', () => {
  it('records the report and the last activity; silence for 3 minutes shows Offline', async () => {
    await getDb().rateLimitBucket.deleteMany({});
    const res = await callGateway(postStatus, {
      registry: 'contoso',
      name: 'store01',
      endpoint: 'status',
      user: 'store01-sync-token',
      password: syncPassword,
      instance: 'box-a',
      body: { connectionState: 'Online', version: '1.2.3', lastSyncTime: '2026-11-28T00:00:00Z' },
    });
    expect(res.status).toBe(204);
    const online = await getConnectedRegistry('contoso', 'store01');
    expect(online).toMatchObject({ connectionState: 'Online', version: '1.2.3', lastSyncTime: '2026-11-28T00:00:00.000Z' });
    // a controllable clock: the last report was 4 minutes ago
    const headers = new Headers({ authorization: auth('store01-sync-token', syncPassword), 'x-connected-registry-instance': 'box-a' });
    await reportStatus(headers, 'contoso', 'store01', async () => ({ connectionState: 'Online' }), new Date(Date.now() - 4 * 60_000));
    expect((await getConnectedRegistry('contoso', 'store01')).connectionState).toBe('Offline');
    await reportStatus(headers, 'contoso', 'store01', async () => ({ connectionState: 'Syncing' }), new Date(Date.now() - 2 * 60_000));
    expect((await getConnectedRegistry('contoso', 'store01')).connectionState).toBe('Syncing');
  });

  it('keeps the observed time of a report queued offline; a later-sent older report changes nothing; one older than the TTL is refused', async () => {
    await getDb().rateLimitBucket.deleteMany({});
    const headers = new Headers({ authorization: auth('store01-sync-token', syncPassword), 'x-connected-registry-instance': 'box-a' });
    const now = Date.now();
    const observed = new Date(now - 10 * 60_000).toISOString();
    await reportStatus(headers, 'contoso', 'store01', async () => ({ connectionState: 'Online' }), new Date(now - 20 * 60_000));
    await reportStatus(
      headers,
      'contoso',
      'store01',
      async () => ({ connectionState: 'Unhealthy', observedTime: observed }),
      new Date(now),
    );
    const kept = await getConnectedRegistry('contoso', 'store01');
    expect(kept.lastActivityTime).toBe(observed);
    // an even older queued report arrives afterwards: it does not overwrite the newer state
    await reportStatus(
      headers,
      'contoso',
      'store01',
      async () => ({ connectionState: 'Syncing', observedTime: new Date(now - 15 * 60_000).toISOString() }),
      new Date(now),
    );
    expect((await getConnectedRegistry('contoso', 'store01')).lastActivityTime).toBe(observed);
    // a report older than the message TTL (P2D) is refused and changes nothing
    await expect(
      reportStatus(
        headers,
        'contoso',
        'store01',
        async () => ({ connectionState: 'Online', observedTime: new Date(now - 3 * 86400_000).toISOString() }),
        new Date(now),
      ),
    ).rejects.toMatchObject({ status: 400 });
    await reportStatus(headers, 'contoso', 'store01', async () => ({ connectionState: 'Online' }), new Date(now));
    expect((await getConnectedRegistry('contoso', 'store01')).connectionState).toBe('Online');
  });

  it('never moves lastSyncTime back: a late, replayed or racing report with an older time changes nothing', async () => {
    await getDb().rateLimitBucket.deleteMany({});
    const headers = new Headers({ authorization: auth('store01-sync-token', syncPassword), 'x-connected-registry-instance': 'box-a' });
    const base = Date.now() - 2 * 3600_000;
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const send = (lastSyncTime: string, connectionState: 'Online' | 'Syncing' = 'Online') =>
      reportStatus(headers, 'contoso', 'store01', async () => ({ connectionState, lastSyncTime }));
    const lastSyncTime = async () => (await getConnectedRegistry('contoso', 'store01')).lastSyncTime;
    await send(at(30));
    // an older time sent afterwards (a replayed request, a slow one) still updates the state, not the time
    await send(at(10), 'Syncing');
    expect(await getConnectedRegistry('contoso', 'store01')).toMatchObject({ connectionState: 'Syncing', lastSyncTime: at(30) });
    await send(at(31));
    expect(await lastSyncTime()).toBe(at(31));
    // reports racing each other, in no particular order: the newest time stays
    const minutes = Array.from({ length: 16 }, (_, i) => 40 + ((i * 7) % 16));
    await Promise.all(minutes.map((m) => send(at(m))));
    expect(await lastSyncTime()).toBe(at(55));
    await Promise.all([send(at(20)), send(at(54)), send(at(41))]);
    expect(await lastSyncTime()).toBe(at(55));
  });

  it('validates the report', async () => {
    const res = await postStatus(
      new Request('http://canopy.test/x', {
        method: 'POST',
        headers: { authorization: auth('store01-sync-token', syncPassword), 'x-connected-registry-instance': 'box-a' },
        body: JSON.stringify({ connectionState: 'Sleeping' }),
      }),
      { params: Promise.resolve({ registry: 'contoso', name: 'store01' }) },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].field).toBe('connectionState');
  });
});

describe('change feed across instances', () => {
  // (the embedded database lives in one process: there is no other instance to hear from)
  itOnPostgresServer('a NOTIFY committed by another connection (another instance) reaches this instance', async () => {
    const received: string[] = [];
    const off = onChange((r) => received.push(r));
    await new Promise((r) => setTimeout(r, 300)); // the LISTEN connection comes up
    const other = new pg.Client({ connectionString: db.url() });
    await other.connect();
    await other.query('BEGIN');
    await other.query(`SELECT pg_notify('canopy_changes', '["elsewhere"]')`);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).not.toContain('elsewhere'); // not before commit
    await other.query('COMMIT');
    await other.end();
    const until = Date.now() + 2000;
    while (!received.includes('elsewhere') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    off();
    expect(received).toContain('elsewhere');
  });
});

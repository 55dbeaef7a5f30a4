// What a configuration long poll costs the database. Thousands of edges each hold one, and each
// asks again the moment it is answered (a change) or at the end of its wait: that asking again
// must not cost queries — each configuration is built once per change (by the rebuild that wakes
// the polls), and the sync token, the registry and the configuration are answered from memory
// until a change to the cloud registry is announced.
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createScopeMap } from '@/lib/scope-maps/service';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { configPolls } from './service/fetch-config';

setupTestDatabase();
let actor: Actor;
let password = '';

const config = (etag?: string, wait?: number) =>
  callGateway(getConfig, {
    registry: 'fabrikam',
    name: 'shop01',
    endpoint: 'config',
    user: 'shop01-sync-token',
    password,
    address: '10.3.0.1',
    instance: 'box-1',
    etag,
    wait,
  });

/** Counts the SQL statements sent to PostgreSQL (every pool connection is a pg.Client) while `fn` runs. */
async function queriesDuring<T>(fn: () => Promise<T>): Promise<{ value: T; queries: number }> {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const value = await fn();
    return { value, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

beforeAll(async () => {
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'fabrikam');
  await createScopeMap(actor, 'fabrikam', { name: 'web-pull', actions: ['repositories/apps/web/content/read'] });
  await createConnectedRegistry(actor, 'fabrikam', {
    name: 'shop01',
    mode: 'ReadOnly',
    loginServer: 'shop01.local',
    repositories: ['apps/web'],
    clientTokens: [],
    notifications: [],
  });
  password = (await connectionSettings(actor, 'fabrikam', 'shop01', { parentProtocol: 'https', generatePassword: 'password1' })).password!
    .value;
});

afterEach(() => vi.restoreAllMocks());

describe('a configuration long poll asking again', () => {
  it('costs no query: after a change it gets the configuration the rebuild built, and after its wait what it read before', async () => {
    const first = await config();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;

    // a poll held, then a change concerning its registry wakes it with the new configuration
    const poll = config(etag, 30);
    while (configPolls.held() < 1) await new Promise((r) => setTimeout(r, 20));
    await updateConnectedRegistry(actor, 'fabrikam', 'shop01', { logLevel: 'Debug' });
    const woken = await poll;
    expect(woken.status).toBe(200);
    expect((await woken.json()).logLevel).toBe('Debug');
    const newEtag = woken.headers.get('etag')!;
    expect(newEtag).not.toBe(etag);

    // the edge asks again at once: its configuration is the one the rebuild built (before the fix,
    // built a second time for this request), and it waits
    const again = await queriesDuring(() => config(newEtag, 1));
    expect(again.value.status).toBe(304);
    expect(again.value.headers.get('etag')).toBe(newEtag);
    // the sync token and the registry are read once after the change (the change dropped them)…
    expect(again.queries).toBeGreaterThan(0);
    // …and the next poll, at the end of that wait, reads nothing at all
    const next = await queriesDuring(() => config(newEtag, 1));
    expect(next.value.status).toBe(304);
    expect(next.queries).toBe(0);

    // the memory never hides a change: the next one is seen by the very next request
    await updateConnectedRegistry(actor, 'fabrikam', 'shop01', { logLevel: 'Warning' });
    const after = await config(newEtag);
    expect(after.status).toBe(200);
    expect((await after.json()).logLevel).toBe('Warning');
  });

  it('reads no configuration after a change woke it: the rebuild built it once for every poll of that registry', async () => {
    const etag = (await config()).headers.get('etag')!;
    const poll = config(etag, 30);
    while (configPolls.held() < 1) await new Promise((r) => setTimeout(r, 20));
    await updateConnectedRegistry(actor, 'fabrikam', 'shop01', { logLevel: 'Error' });
    const newEtag = (await poll).headers.get('etag')!;
    // the request reads the token and the registry again (2 queries at most, with their
    // relations a few more), but not the configuration and its 8 relations
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    const res = await config(newEtag, 1);
    const sql = spy.mock.calls.map((c) => String((c[0] as { text?: string })?.text ?? c[0]));
    spy.mockRestore();
    expect(res.status).toBe(304);
    expect(sql.filter((q) => /"ConnectedRegistryClientToken"|"childSyncTokens"|"syncRequestId"/i.test(q))).toEqual([]);
  });
});

// What a configuration long poll costs the database. Thousands of edges each hold one, and each
// asks again the moment it is answered (a change) or at the end of its wait: that asking again
// must not cost queries — each configuration is built once per change (by the rebuild that wakes
// the polls), the sync token and the registry are read ahead by that rebuild, and all of them are
// answered from memory until a change concerning them is announced. A change concerning one
// registry builds its configuration alone. Memory never answers a credential a change disabled.
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createScopeMap } from '@/lib/scope-maps/service';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { deletePassword } from '@/lib/tokens/service/delete-password';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { configPolls } from './service/fetch-config';

setupTestDatabase();
let actor: Actor;
const passwords = new Map<string, string>();
const SHOPS = ['shop01', 'shop02', 'shop03'];

const configOf = (shop: string, etag?: string, wait?: number) =>
  callGateway(getConfig, {
    registry: 'fabrikam',
    name: shop,
    endpoint: 'config',
    user: `${shop}-sync-token`,
    password: passwords.get(shop)!,
    address: '10.3.0.1',
    instance: `box-${shop}`,
    etag,
    wait,
  });
const config = (etag?: string, wait?: number) => configOf('shop01', etag, wait);
const heldAtLeast = async (n: number) => {
  while (configPolls.held() < n) await new Promise((r) => setTimeout(r, 20));
};

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
  await createToken(actor, 'fabrikam', { name: 'kiosk01', scopeMap: 'web-pull', status: 'enabled', noPasswords: false });
  for (const shop of SHOPS) {
    await createConnectedRegistry(actor, 'fabrikam', {
      name: shop,
      mode: 'ReadOnly',
      loginServer: `${shop}.local`,
      repositories: ['apps/web'],
      clientTokens: shop === 'shop01' ? ['kiosk01'] : [],
      notifications: [],
    });
    const settings = await connectionSettings(actor, 'fabrikam', shop, { parentProtocol: 'https', generatePassword: 'password1' });
    passwords.set(shop, settings.password!.value);
  }
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
    // built a second time for this request), its registry the one the rebuild read ahead (the
    // change dropped it): it reads nothing and waits
    const again = await queriesDuring(() => config(newEtag, 1));
    expect(again.value.status).toBe(304);
    expect(again.value.headers.get('etag')).toBe(newEtag);
    expect(again.queries).toBe(0);
    // …and the next poll, at the end of that wait, reads nothing either
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

describe('a change concerning one connected registry', () => {
  it('builds its configuration alone and wakes its poll alone, however many other registries have a poll waiting', async () => {
    const etags = new Map<string, string>();
    for (const shop of SHOPS) etags.set(shop, (await configOf(shop)).headers.get('etag')!);
    const answered = new Set<string>();
    const polls = new Map(
      SHOPS.map((shop) => [
        shop,
        configOf(shop, etags.get(shop), 30).then((res) => {
          answered.add(shop);
          return res;
        }),
      ]),
    );
    await heldAtLeast(SHOPS.length);
    const builds = configPolls.builds();
    await updateConnectedRegistry(actor, 'fabrikam', 'shop02', { logLevel: 'Debug' });
    const woken = await polls.get('shop02')!;
    expect(woken.status).toBe(200);
    expect((await woken.json()).logLevel).toBe('Debug');
    // one configuration built (before: every waited-for one of the cloud registry, 3 here)
    expect(configPolls.builds() - builds).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect([...answered]).toEqual(['shop02']);

    // each of the others is woken by a change of its own, each built alone
    for (const shop of ['shop01', 'shop03']) {
      const before = configPolls.builds();
      await updateConnectedRegistry(actor, 'fabrikam', shop, { logLevel: 'Warning' });
      expect((await polls.get(shop)!).status).toBe(200);
      expect(configPolls.builds() - before).toBe(1);
    }
  });
});

describe('memory after a change', () => {
  it('answers a woken poll asking again with no query, yet never a sync token disabled or a password deleted since', async () => {
    const etag = (await config()).headers.get('etag')!;
    // a change concerning the whole cloud registry (a client token shop01 accepts, disabled)
    const poll = config(etag, 30);
    await heldAtLeast(1);
    await updateToken(actor, 'fabrikam', 'kiosk01', { status: 'disabled' });
    const woken = await poll;
    expect(woken.status).toBe(200);
    const newEtag = woken.headers.get('etag')!;
    // the rebuild read the cloud registry, the sync token and the registry ahead: asking again reads nothing
    const again = await queriesDuring(() => config(newEtag, 1));
    expect(again.value.status).toBe(304);
    expect(again.queries).toBe(0);

    // the registry disabled (its sync token): refused at once, not answered from memory
    await updateToken(actor, 'fabrikam', 'shop01-sync-token', { status: 'disabled' });
    const disabled = await config(newEtag, 1);
    expect(disabled.status).toBe(403);
    expect((await disabled.json()).error.code).toBe('registry_disabled');
    await updateToken(actor, 'fabrikam', 'shop01-sync-token', { status: 'enabled' });
    expect((await config(newEtag, 1)).status).toBe(304);

    // its password deleted: a wrong password at once
    await deletePassword(actor, 'fabrikam', 'shop01-sync-token', 'password1');
    expect((await config(newEtag, 1)).status).toBe(401);
  });
});

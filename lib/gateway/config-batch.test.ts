// The configurations a rebuild builds together (./config-batch.ts) are the ones each registry's
// own read builds (buildConfig, Prisma's nested select: the first fetch's path), over a hierarchy
// varied on purpose: four levels, both modes, client tokens shared by several registries, with
// two passwords, an expiry, disabled, without passwords, a scope map edited after the fact, sync
// tokens with and without passwords, a Sync now, notifications, TLS off — and the rows around
// the registries are read once per rebuild, in a number of statements that does not grow with
// the registries.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { announce } from '@/lib/db/change-feed';
import { getDb } from '@/lib/db/client';
import { currentKnown } from '@/lib/db/last-known';
import { parseInput } from '@/lib/errors';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createScopeMap, updateScopeMap } from '@/lib/scope-maps/service';
import { requestSync } from '@/lib/sync/service';
import { createTokenInput } from '@/lib/tokens/schemas';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { deletePassword } from '@/lib/tokens/service/delete-password';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture } from '@/test/fixtures';
import { keptSyncToken, syncTokenKey, syncTokenSelect } from './auth';
import { registryKey, registrySelect } from './caller';
import { buildConfigs } from './config-batch';
import type { BuiltConfig } from './config-polls';
import { buildConfig, type GatewayConfig } from './queries';
import { readAheadForPolls } from './reask';

setupTestDatabase();
let actor: Actor;
type Cloud = { id: string; name: string; loginServer: string; dataEndpoint: string };
let cloud: Cloud;
let other: Cloud;
const ids = new Map<string, string>();

const cloudOf = (name: string) =>
  getDb().cloudRegistry.findFirstOrThrow({ where: { name }, select: { id: true, name: true, loginServer: true, dataEndpoint: true } });

beforeAll(async () => {
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'contoso');
  await createCloudRegistryFixture(actor, 'fabrikam');
  await createScopeMap(actor, 'contoso', {
    name: 'web-pull',
    actions: ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'],
  });
  await createScopeMap(actor, 'contoso', {
    name: 'app-push',
    actions: ['repositories/app/content/read', 'repositories/app/content/write'],
  });
  const token = (input: Record<string, unknown>) => createToken(actor, 'contoso', parseInput(createTokenInput, input));
  await token({ name: 'kiosk', scopeMap: 'web-pull' });
  await token({ name: 'scanner', scopeMap: 'web-pull', expiresInDays: 30 });
  await token({ name: 'builder', scopeMap: 'app-push', noPasswords: true });
  await token({ name: 'gauge', scopeMap: 'web-pull', status: 'disabled' });

  const registry = (fields: { name: string } & Record<string, unknown>) => createConnectedRegistryFixture(actor, 'contoso', fields);
  await registry({
    name: 'top01',
    repositories: ['app', 'apps/web', 'lib/base'],
    clientTokens: ['kiosk', 'builder'],
    notifications: ['*:*'],
  });
  await registry({
    name: 'top02',
    mode: 'ReadOnly',
    repositories: ['apps/web'],
    clientTokens: ['kiosk', 'scanner', 'gauge'],
    tls: 'Disabled',
  });
  // created out of name order: the lists of children and client tokens are in name order all the same
  await registry({ name: 'mid02', parent: 'top01', mode: 'ReadOnly', repositories: ['lib/base'] });
  await registry({ name: 'mid01', parent: 'top01', repositories: ['app', 'apps/web'], clientTokens: ['kiosk'], logLevel: 'Debug' });
  await registry({
    name: 'leaf02',
    parent: 'mid01',
    repositories: ['app'],
    clientTokens: ['builder'],
    syncSchedule: '0 */6 * * *',
    syncWindow: 'PT2H',
  });
  await registry({ name: 'leaf01', parent: 'mid01', mode: 'ReadOnly', repositories: ['apps/web'], clientTokens: ['scanner', 'kiosk'] });
  await registry({ name: 'deep01', parent: 'leaf01', mode: 'ReadOnly', repositories: ['apps/web'] });
  await createConnectedRegistryFixture(actor, 'fabrikam', { name: 'away01' });
  // sync token passwords (a child's appear in its parent's configuration), a Sync now, and edits
  // after the fact that make the rows differ from what creation wrote
  for (const name of ['mid01', 'leaf01', 'deep01', 'top02'])
    await connectionSettings(actor, 'contoso', name, { parentProtocol: 'https', generatePassword: 'password1' });
  await connectionSettings(actor, 'contoso', 'leaf01', { parentProtocol: 'https', generatePassword: 'password2' });
  await deletePassword(actor, 'contoso', 'leaf02-sync-token', 'password1');
  await requestSync(actor, 'contoso', 'leaf01');
  await updateScopeMap(actor, 'contoso', 'web-pull', {
    addActions: ['repositories/apps/api/content/read'],
    removeActions: ['repositories/apps/web/metadata/read'],
  });
  await updateToken(actor, 'contoso', 'scanner', { status: 'disabled' });
  await updateConnectedRegistry(actor, 'contoso', 'mid02', { logLevel: 'None' });

  cloud = await cloudOf('contoso');
  other = await cloudOf('fabrikam');
  for (const r of await getDb().connectedRegistry.findMany({ select: { id: true, name: true } })) ids.set(r.name, r.id);
});

afterEach(() => vi.restoreAllMocks());

/** What each registry's own read builds, by id. */
async function alone(names: string[]) {
  const built = new Map<string, Awaited<ReturnType<typeof buildConfig>>>();
  for (const name of names) built.set(ids.get(name)!, await buildConfig(cloud, ids.get(name)!));
  return built;
}

const CONTOSO = ['top01', 'top02', 'mid01', 'mid02', 'leaf01', 'leaf02', 'deep01'];

describe('configurations built together for a rebuild', () => {
  it('are each exactly what the registry’s own read builds, ETag included, whatever the batches', async () => {
    const expected = await alone(CONTOSO);
    // the hierarchy is as varied as meant: the checks below compare something
    const leaf01 = expected.get(ids.get('leaf01')!)!.config;
    expect(leaf01.clientTokens.map((t) => [t.name, t.status, t.passwords.length])).toEqual([
      ['kiosk', 'enabled', 2],
      ['scanner', 'disabled', 2],
    ]);
    expect(leaf01.clientTokens[0].actions).toEqual(['repositories/apps/api/content/read', 'repositories/apps/web/content/read']);
    expect(leaf01.syncRequest).not.toBeNull();
    expect(expected.get(ids.get('mid01')!)!.config.childSyncTokens.map((c) => [c.registry, c.passwords.length])).toEqual([
      ['leaf01', 2],
      ['leaf02', 0],
    ]);
    expect(expected.get(ids.get('top01')!)!.config.descendants).toEqual(['deep01', 'leaf01', 'leaf02', 'mid01', 'mid02']);

    for (const batchSize of [500, 3, 1]) {
      const all = CONTOSO.map((n) => ids.get(n)!);
      const together = await buildConfigs(cloud, all, undefined, batchSize);
      expect([...together.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [id, value] of expected) expect(together.get(id), `batches of ${batchSize}`).toEqual(value);
    }
    // a registry whose parent and children are not in the rebuild
    const leaf = await buildConfigs(cloud, [ids.get('leaf01')!]);
    expect(leaf.get(ids.get('leaf01')!)).toEqual(expected.get(ids.get('leaf01')!));
  });

  it('leave out registries of another cloud registry and registries gone, and hand each batch over as it is built', async () => {
    const batches: string[][] = [];
    const asked = [ids.get('top02')!, ids.get('away01')!, randomUUID(), ids.get('deep01')!, ids.get('mid02')!];
    const built = await buildConfigs(cloud, asked, (batch) => batches.push([...batch.values()].map((b) => b.config.name)), 2);
    expect([...built.values()].map((b) => b.config.name).sort()).toEqual(['deep01', 'mid02', 'top02']);
    expect(batches).toEqual([['top02'], ['deep01'], ['mid02']]);
    expect((await buildConfigs(other, [ids.get('away01')!])).get(ids.get('away01')!)).toEqual(await buildConfig(other, ids.get('away01')!));
  });

  it('share their reads with the read-ahead for the polls, which remembers what the requests’ own reads would read', async () => {
    const names = CONTOSO;
    const refs = names.map((name) => ({ id: ids.get(name)!, name }));
    const tokens = names.map((name) => `${name}-sync-token`);
    const statements = async (run: () => Promise<unknown>) => {
      announce(['contoso']); // a change: memory forgets the cloud registry, the next rebuild reads afresh
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await run();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const all = refs.map((r) => r.id);
    const alone = await statements(() => buildConfigs(cloud, all));
    let built = new Map<string, BuiltConfig<GatewayConfig>>();
    const together = await statements(async () => {
      [, built] = await Promise.all([readAheadForPolls(cloud, refs, tokens), buildConfigs(cloud, all)]);
    });
    // the read-ahead's own: the cloud registry, the sync tokens by name and their registries, and
    // the passwords of the sync tokens it asks for first; the registries and the scope maps are
    // the build's (apart, it read them all again: 6 statements)
    expect(together).toBeLessThanOrEqual(alone + 4);

    const fromMemory = <T>(key: string) => currentKnown<T>('contoso', key, () => Promise.reject(new Error(`${key} was not read ahead`)));
    const bySlot = <T extends { passwords: { slot: string }[] }>(t: T) => ({
      ...t,
      passwords: [...t.passwords].sort((a, b) => a.slot.localeCompare(b.slot)),
    });
    for (const name of names) {
      const registry = await getDb().connectedRegistry.findFirst({ where: { id: ids.get(name) }, select: registrySelect });
      expect(await fromMemory(registryKey(name))).toEqual(registry);
      const token = await getDb().token.findFirst({
        where: { cloudRegistryId: cloud.id, name: `${name}-sync-token` },
        select: syncTokenSelect,
      });
      // as the request's own read keeps it: its verifiers read (lib/auth/secrets.ts)
      const kept = keptSyncToken(token!);
      expect(bySlot(await fromMemory<typeof kept>(syncTokenKey(`${name}-sync-token`)))).toEqual(bySlot(kept));
    }
    // one reading of a scope map serves both: leaf01's sync token authenticates with the very
    // actions mid01's configuration carries for it
    const leafToken = await fromMemory<{ scopeMap: { actions: string[] } }>(syncTokenKey('leaf01-sync-token'));
    const mid01 = built.get(ids.get('mid01')!)!.config;
    expect(leafToken.scopeMap.actions).toBe(mid01.childSyncTokens.find((c) => c.registry === 'leaf01')!.actions);
  });

  it('read the rows around the registries once, in a few statements however many registries there are', async () => {
    const count = async (names: string[]) => {
      announce(['contoso']); // a change: the next rebuild reads afresh
      // every pool connection is a pg.Client
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await buildConfigs(
          cloud,
          names.map((n) => ids.get(n)!),
        );
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const one = await count(['leaf02']);
    const all = await count(CONTOSO);
    expect(one).toBeGreaterThan(0);
    // the registries, their children, their client tokens, parents, tokens, passwords, scope
    // maps and the client tokens' scope maps: 8 at most (Prisma's nested select sent 12)
    expect(all).toBeLessThanOrEqual(8);
    expect(all).toBeLessThanOrEqual(one);
  });
});

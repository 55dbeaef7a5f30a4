// Over 300 lines on purpose: one feature (bring-your-own sync token), each refusal beside the
// adoption it refuses.
// Bring-your-own sync token: `syncToken` at creation adopts an existing token. Its scope map's
// repositories are what the registry syncs, the registry's gateway actions are added (audited),
// an empty slot gets a password shown once; every rule refuses with its own 409 and writes
// nothing; the gateway knows the token by id; deleting the registry leaves the token.
import { beforeAll, describe, expect, it } from 'vitest';
import * as connectedRegistriesRoute from '@/app/api/v1/registries/[registry]/connected-registries/route';
import * as connectedRegistryRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/route';
import * as syncTokenCandidatesRoute from '@/app/api/v1/registries/[registry]/sync-token-candidates/route';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseConnectionString } from '@/lib/gateway/connection-string';
import { syncTokenRefusal, type SyncTokenCandidate } from './sync-token-eligibility';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import { listScopeMapsQuery } from '@/lib/scope-maps/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { verifyTokenPassword } from '@/lib/tokens/passwords';
import { createToken } from '@/lib/tokens/service/create-token';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway, callRoute, edgeCredentials, type ErrorBody } from '@/test/routes';

setupTestDatabase();

let actor: Actor & { bearer: string };
let cloud = '';
let otherCloud = '';

const gateway = (name: string) => ['config/read', 'config/write', 'message/read', 'message/write'].map((a) => `gateway/${name}/${a}`);
const webRead = ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'];
const webWrite = [...webRead, 'repositories/apps/web/content/write'];

beforeAll(async () => {
  actor = await createActorWithBearer('Contributor');
  cloud = await createCloudRegistryFixture(actor);
  otherCloud = await createCloudRegistryFixture(actor);
});

type Created = Record<string, unknown> & {
  name: string;
  syncToken: string;
  syncScopeMap: string;
  syncTokenAdopted: boolean;
  ownRepositories: string[];
  connectionString: string;
  syncPassword: { name: string } | null;
  note: string | null;
};

const create = (body: Record<string, unknown>, registry = cloud) =>
  callRoute<Created>(connectedRegistriesRoute.POST, {
    bearer: actor.bearer,
    method: 'POST',
    path: `/registries/${registry}/connected-registries`,
    params: { registry },
    body,
  });

/** A token with a scope map of its own; `passwords` false makes it with empty slots. */
async function tokenWithMap(name: string, actions: string[], { passwords = false, registry = cloud } = {}) {
  await createScopeMap(actor, registry, { name: `${name}-map`, actions });
  return createToken(actor, registry, { name, scopeMap: `${name}-map`, status: 'enabled', noPasswords: !passwords });
}

async function mapActions(name: string) {
  return (await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name }, select: { actions: true } })).actions;
}

async function counts() {
  const db = getDb();
  return Promise.all([
    db.connectedRegistry.count(),
    db.token.count(),
    db.scopeMap.count(),
    db.tokenPassword.count(),
    db.auditEvent.count(),
    db.scopeMap.findMany({ select: { actions: true }, orderBy: { id: 'asc' } }),
  ]);
}

async function candidates(q: string) {
  const res = await callRoute<{ items: SyncTokenCandidate[] }>(syncTokenCandidatesRoute.GET, {
    bearer: actor.bearer,
    path: `/registries/${cloud}/sync-token-candidates?${new URLSearchParams({ q, limit: '50' })}`,
    params: { registry: cloud },
  });
  expect(res.status).toBe(200);
  return res.body;
}

const configWith = (connectionString: string) =>
  callGateway(getConfig, { registry: cloud, endpoint: 'config', ...edgeCredentials(connectionString) });

describe('POST …/connected-registries with syncToken', () => {
  it('adopts the token: its map’s repositories are the registry’s, gateway actions added and audited, password1 generated, the gateway knows it by id', async () => {
    await tokenWithMap('plant-sync', webWrite);
    const res = await create({ name: 'plant05', loginServer: 'plant05.local', syncToken: 'plant-sync' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      name: 'plant05',
      syncToken: 'plant-sync',
      syncScopeMap: 'plant-sync-map',
      syncTokenAdopted: true,
      ownRepositories: ['apps/web'],
      note: null,
    });
    expect(res.body.syncPassword).toMatchObject({ name: 'password1' });
    expect((await mapActions('plant-sync-map')).sort()).toEqual([...webWrite, ...gateway('plant05')].sort());

    const s = parseConnectionString(res.body.connectionString);
    expect(s.syncTokenName).toBe('plant-sync');
    const stored = await getDb().tokenPassword.findFirstOrThrow({
      where: { token: { name: 'plant-sync' }, slot: 'password1' },
      omit: { verifier: false },
    });
    expect(verifyTokenPassword(stored.verifier, s.syncTokenPassword)).toBe(true);

    // the gateway finds the registry's own sync token by id, not by the <name>-sync-token convention: it activates
    const config = await configWith(res.body.connectionString);
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ repositories: ['apps/web'] });
    const row = await getDb().connectedRegistry.findFirstOrThrow({
      where: { name: 'plant05' },
      select: { activationStatus: true, instanceId: true },
    });
    expect(row).toEqual({ activationStatus: 'Active', instanceId: 'box-1' });

    const events = await getDb().auditEvent.findMany({
      where: { registry: cloud, action: { not: 'scopeMap.create' }, OR: [{ targetName: 'plant05' }, { targetName: 'plant-sync-map' }] },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['connectedRegistry.create', 'scopeMap.update', 'connectedRegistry.activate']);
    expect(events[0].details).toMatchObject({
      syncToken: 'plant-sync',
      syncTokenAdopted: true,
      gatewayActionsAdded: gateway('plant05'),
      syncPasswordGenerated: 'password1',
    });
    expect(events[1].details).toMatchObject({ added: gateway('plant05'), removed: [] });
  });

  it('under a parent: the parent’s sync scope map gains the adopted map’s repository actions and the gateway actions', async () => {
    const parent = await create({ name: 'plant06', loginServer: 'plant06.local', repositories: ['base/os'] });
    expect(parent.status).toBe(201);
    await tokenWithMap('line-sync', webRead);
    const res = await create({ name: 'line06', parent: 'plant06', mode: 'ReadOnly', loginServer: 'line06.local', syncToken: 'line-sync' });
    expect(res.status).toBe(201);
    const parentMap = await mapActions('plant06-scope-map');
    expect(parentMap).toEqual(expect.arrayContaining([...webRead, ...gateway('line06')]));
    expect(parentMap).not.toContain('repositories/apps/web/content/write');
  });

  it('fills the empty slot (password2 when password1 holds one)', async () => {
    const token = await tokenWithMap('half-sync', webRead, { passwords: true });
    await getDb().tokenPassword.deleteMany({ where: { token: { name: 'half-sync' }, slot: 'password2' } });
    const res = await create({ name: 'plant07', loginServer: 'plant07.local', syncToken: 'half-sync' });
    expect(res.status).toBe(201);
    expect(res.body.syncPassword).toMatchObject({ name: 'password2' });
    const slot1 = await getDb().tokenPassword.findFirstOrThrow({
      where: { token: { name: 'half-sync' }, slot: 'password1' },
      omit: { verifier: false },
    });
    expect(verifyTokenPassword(slot1.verifier, token.passwords[0].value)).toBe(true); // untouched
  });

  it('with both slots full generates none and says how to get one', async () => {
    const token = await tokenWithMap('full-sync', webRead, { passwords: true });
    const res = await create({ name: 'plant08', loginServer: 'plant08.local', syncToken: 'full-sync' });
    expect(res.status).toBe(201);
    expect(res.body.syncPassword).toBeNull();
    expect(res.body.note).toMatch(/Both password slots of full-sync/);
    expect(res.body.note).toContain(`/api/v1/registries/${cloud}/connected-registries/plant08/settings`);
    expect(res.body.connectionString).toContain('SyncTokenName=full-sync;SyncTokenPassword=<');
    for (const [i, slot] of (['password1', 'password2'] as const).entries()) {
      const row = await getDb().tokenPassword.findFirstOrThrow({
        where: { token: { name: 'full-sync' }, slot },
        omit: { verifier: false },
      });
      expect(verifyTokenPassword(row.verifier, token.passwords[i].value)).toBe(true);
    }
  });
});

describe('adoption refusals: a specific 409 (400 for input), nothing written', () => {
  const refusals: [string, () => Promise<Record<string, unknown>>, number, string, RegExp][] = [
    [
      'an unknown token',
      async () => ({ name: 'deny01x', syncToken: 'no-such-token' }),
      400,
      'invalid_request',
      /no token named no-such-token/,
    ],
    [
      'repositories and syncToken together',
      async () => ({ name: 'deny02x', syncToken: 'x-sync', repositories: ['a'] }),
      400,
      'invalid_request',
      /not both/,
    ],
    [
      'a token of another cloud registry',
      async () => {
        await tokenWithMap('far-sync', webRead, { registry: otherCloud });
        return { name: 'deny03x', syncToken: 'far-sync' };
      },
      409,
      'sync_token_other_registry',
      /belongs to cloud registry/,
    ],
    [
      'a disabled token',
      async () => {
        await tokenWithMap('off-sync', webRead);
        await updateToken(actor, cloud, 'off-sync', { status: 'disabled' });
        return { name: 'deny04x', syncToken: 'off-sync' };
      },
      409,
      'sync_token_disabled',
      /disabled/,
    ],
    [
      'another registry’s sync token',
      async () => ({ name: 'deny05x', syncToken: 'plant06-sync-token' }),
      409,
      'sync_token_in_use',
      /already the sync token of plant06/,
    ],
    [
      'a client token of a registry',
      async () => {
        await tokenWithMap('kiosk-sync', webRead);
        await create({ name: 'shop01', loginServer: 'shop01.local', repositories: ['apps/web'], clientTokens: ['kiosk-sync'] });
        return { name: 'deny06x', syncToken: 'kiosk-sync' };
      },
      409,
      'client_token',
      /client token of shop01/,
    ],
    [
      'a token named also as a client token',
      async () => ({ name: 'deny07x', syncToken: 'spare-sync', clientTokens: ['spare-sync'] }),
      409,
      'client_token',
      /client token/,
    ],
    [
      'a token with a system scope map',
      async () => {
        await createToken(actor, cloud, { name: 'pull-sync', scopeMap: '_repositories_pull', status: 'enabled', noPasswords: true });
        return { name: 'deny08x', syncToken: 'pull-sync' };
      },
      409,
      'system_scope_map',
      /system scope map _repositories_pull/,
    ],
    [
      'a scope map other tokens use',
      async () => {
        await tokenWithMap('shared-sync', webRead);
        await createToken(actor, cloud, { name: 'shared-peer', scopeMap: 'shared-sync-map', status: 'enabled', noPasswords: true });
        return { name: 'deny09x', syncToken: 'shared-sync' };
      },
      409,
      'scope_map_shared',
      /also used by shared-peer.*password verifiers/,
    ],
    [
      'a map with gateway actions for another registry',
      async () => {
        await tokenWithMap('nosy-sync', [...webRead, 'gateway/plant05/config/read']);
        return { name: 'deny10x', syncToken: 'nosy-sync' };
      },
      409,
      'gateway_outside_subtree',
      /gateway actions for plant05/,
    ],
    [
      'write actions for a ReadOnly registry',
      async () => {
        await tokenWithMap('push-sync', webWrite);
        return { name: 'deny11x', mode: 'ReadOnly', syncToken: 'push-sync' };
      },
      409,
      'readonly_violation',
      /ReadOnly/,
    ],
    [
      'a map that grants no repository',
      async () => {
        await tokenWithMap('bare-sync', gateway('deny12x'));
        return { name: 'deny12x', syncToken: 'bare-sync' };
      },
      409,
      'no_repositories',
      /grants no repository/,
    ],
  ];
  beforeAll(async () => {
    await tokenWithMap('spare-sync', webRead);
  });
  for (const [what, arrange, status, code, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const fields = await arrange();
      const before = await counts();
      const res = await create({ loginServer: 'deny.local', ...fields });
      expect(res.status).toBe(status);
      const { error } = res.body as unknown as ErrorBody;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.details.map((d) => d.field)).toContain('syncToken');
      expect(await counts()).toEqual(before);
      // the portal's picker disables the token with the same reason, from GET R/sync-token-candidates
      const candidate = (await candidates(String(fields.syncToken))).items.find((t) => t.name === fields.syncToken);
      if (status === 409 && code !== 'sync_token_other_registry' && code !== 'sync_token_in_use') {
        expect(candidate, `${String(fields.syncToken)} is listed`).toBeDefined();
        const registry = {
          name: String(fields.name),
          mode: (fields.mode ?? 'ReadWrite') as 'ReadWrite' | 'ReadOnly',
          clientTokens: (fields.clientTokens ?? []) as string[],
        };
        expect(syncTokenRefusal(candidate!, registry)).toEqual({ code, message: error.message });
      } else {
        // another registry's sync token, or another cloud registry's token, is not offered at all
        expect(candidate).toBeUndefined();
      }
    });
  }
});

describe('GET R/sync-token-candidates', () => {
  it('lists the tokens that are no registry’s sync token, by name, with what the adoption rule reads', async () => {
    await tokenWithMap('cand-ok-sync', webRead, { passwords: true });
    const page = await candidates('cand-');
    expect(page.items.map((t) => t.name)).toEqual(['cand-ok-sync']);
    expect(page.items[0]).toEqual({
      name: 'cand-ok-sync',
      status: 'enabled',
      syncRegistry: null,
      clientOf: [],
      filledSlotCount: 2,
      scopeMap: {
        name: 'cand-ok-sync-map',
        system: false,
        sharedWith: [],
        gatewayRegistries: [],
        repositories: ['apps/web'],
        readsOnly: true,
      },
    });
    expect(syncTokenRefusal(page.items[0], { name: 'newone', mode: 'ReadOnly', clientTokens: [] })).toBeNull();
    // a token adopted meanwhile is a sync token now: no longer offered
    expect((await create({ name: 'plant10', loginServer: 'plant10.local', syncToken: 'cand-ok-sync' })).status).toBe(201);
    expect((await candidates('cand-')).items).toEqual([]);
    expect((await candidates('')).items.some((t) => t.name.endsWith('-sync-token'))).toBe(false);
  });

  it('answers 404 for an unknown cloud registry and 400 for a bad limit', async () => {
    const unknown = await callRoute(syncTokenCandidatesRoute.GET, {
      bearer: actor.bearer,
      path: '/registries/nosuchcloud/sync-token-candidates',
      params: { registry: 'nosuchcloud' },
    });
    expect(unknown.status).toBe(404);
    const bad = await callRoute(syncTokenCandidatesRoute.GET, {
      bearer: actor.bearer,
      path: `/registries/${cloud}/sync-token-candidates?limit=500`,
      params: { registry: cloud },
    });
    expect(bad.status).toBe(400);
  });
});

describe('DELETE a registry with an adopted sync token', () => {
  it('removes what creation added (the gateway actions) and leaves the token, its passwords and its map', async () => {
    await tokenWithMap('gone-sync', webRead);
    expect((await create({ name: 'plant09', parent: 'plant06', loginServer: 'plant09.local', syncToken: 'gone-sync' })).status).toBe(201);
    expect(await mapActions('plant06-scope-map')).toEqual(expect.arrayContaining(gateway('plant09')));
    // the adopted map is a sync scope map while the registry has it, and a user's again once it is deleted
    const kindOf = async () =>
      (
        await Promise.all(
          (['user', 'sync'] as const).map(async (kind) =>
            (await listScopeMaps(cloud, listScopeMapsQuery.parse({ kind, limit: 200 }))).items.some((m) => m.name === 'gone-sync-map')
              ? kind
              : null,
          ),
        )
      ).filter(Boolean);
    expect(await kindOf()).toEqual(['sync']);
    const res = await callRoute(connectedRegistryRoute.DELETE, {
      bearer: actor.bearer,
      method: 'DELETE',
      path: `/registries/${cloud}/connected-registries/plant09`,
      params: { registry: cloud, name: 'plant09' },
    });
    expect(res.status).toBe(204);
    const token = await getDb().token.findFirstOrThrow({
      where: { name: 'gone-sync' },
      select: { status: true, passwords: { select: { slot: true } }, syncRegistry: true },
    });
    expect(token).toEqual({ status: 'enabled', passwords: [{ slot: 'password1' }], syncRegistry: null });
    expect((await mapActions('gone-sync-map')).sort()).toEqual([...webRead].sort());
    expect(await kindOf()).toEqual(['user']);
    expect(await mapActions('plant06-scope-map')).not.toEqual(expect.arrayContaining(gateway('plant09')));
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.delete', targetName: 'plant09' } });
    expect(event.details).toMatchObject({
      keptSyncToken: 'gone-sync',
      keptSyncScopeMap: 'gone-sync-map',
      removedGatewayActions: gateway('plant09'),
    });
  });
});

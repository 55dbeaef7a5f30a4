// PATCH R/scope-maps/{a sync scope map}: repository actions change what the registry syncs, and
// its ancestors' and descendants' maps follow as with POST CR/permissions; its own and its
// descendants' gateway actions stay, none are added outside its subtree, a ReadOnly registry's
// map stays read-only — each refusal a specific 409 with nothing written; the registry's gateway
// long poll answers at once.
import { beforeAll, describe, expect, it } from 'vitest';
import * as connectedRegistriesRoute from '@/app/api/v1/registries/[registry]/connected-registries/route';
import * as scopeMapRoute from '@/app/api/v1/registries/[registry]/scope-maps/[name]/route';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { getDb } from '@/lib/db/client';
import { getConnectedRegistry } from './queries';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway, callRoute, edgeCredentials, type ErrorBody } from '@/test/routes';

setupTestDatabase();

let bearer = '';
let cloud = '';
let midConnection = '';

const readWrite = (repo: string) =>
  ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].map((a) => `repositories/${repo}/${a}`);
const read = (repo: string) => [`repositories/${repo}/content/read`, `repositories/${repo}/metadata/read`];

async function create(body: Record<string, unknown>) {
  const res = await callRoute<{ connectionString: string }>(connectedRegistriesRoute.POST, {
    bearer,
    method: 'POST',
    path: `/registries/${cloud}/connected-registries`,
    params: { registry: cloud },
    body: { loginServer: `${String(body.name)}.local`, ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}

//   hubaa (ReadWrite, base) → midbb (ReadWrite, app) → leafcc (ReadOnly, app)
beforeAll(async () => {
  const contributor = await createActorWithBearer('Contributor');
  bearer = contributor.bearer;
  cloud = await createCloudRegistryFixture(contributor);
  await create({ name: 'hubaa', repositories: ['base'] });
  midConnection = (await create({ name: 'midbb', parent: 'hubaa', repositories: ['app'] })).connectionString;
  await create({ name: 'leafcc', parent: 'midbb', mode: 'ReadOnly', repositories: ['app'] });
});

const patch = (map: string, body: Record<string, unknown>) =>
  callRoute<Record<string, unknown>>(scopeMapRoute.PATCH, {
    bearer,
    method: 'PATCH',
    path: `/registries/${cloud}/scope-maps/${map}`,
    params: { registry: cloud, name: map },
    body,
  });

const actionsOf = async (map: string) =>
  (await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name: map }, select: { actions: true } })).actions;

async function snapshot() {
  const db = getDb();
  return Promise.all([
    db.scopeMap.findMany({
      where: { cloudRegistry: { name: cloud } },
      select: { name: true, actions: true, description: true },
      orderBy: { name: 'asc' },
    }),
    db.connectedRegistry.findMany({ select: { name: true, repositories: true, repositoryActions: true }, orderBy: { name: 'asc' } }),
    db.auditEvent.count(),
  ]);
}

describe('PATCH a sync scope map', () => {
  it('adds repository actions: the registry syncs them, its ancestors carry them, audited', async () => {
    const res = await patch('midbb-scope-map', { addActions: read('tools') });
    expect(res.status).toBe(200);
    expect(res.body.actions).toEqual(expect.arrayContaining(read('tools')));
    expect((await getConnectedRegistry(cloud, 'midbb')).ownRepositories).toEqual(['app', 'tools']);
    expect(await actionsOf('hubaa-scope-map')).toEqual(expect.arrayContaining(read('tools')));
    expect(await actionsOf('hubaa-scope-map')).not.toContain('repositories/tools/content/write');
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: 'scopeMap.update', targetName: 'midbb-scope-map' },
      orderBy: { id: 'desc' },
    });
    expect(event.details).toMatchObject({
      connectedRegistry: 'midbb',
      added: read('tools').sort(),
      removed: [],
      ancestorsUpdated: ['hubaa'],
    });
  });

  it('removes repository actions from the registry and its descendants; the ancestors follow', async () => {
    const partial = await patch('midbb-scope-map', { removeActions: ['repositories/app/content/write'] });
    expect(partial.status).toBe(200);
    expect(await actionsOf('midbb-scope-map')).not.toContain('repositories/app/content/write');
    expect(await actionsOf('midbb-scope-map')).toEqual(expect.arrayContaining(['repositories/app/content/delete', ...read('app')]));
    expect(await actionsOf('hubaa-scope-map')).not.toContain('repositories/app/content/write');
    expect((await getConnectedRegistry(cloud, 'leafcc')).ownRepositories).toEqual(['app']); // it only reads: untouched

    const whole = await patch('midbb-scope-map', { removeActions: readWrite('app') });
    expect(whole.status).toBe(200);
    expect((await getConnectedRegistry(cloud, 'midbb')).ownRepositories).toEqual(['tools']);
    expect((await getConnectedRegistry(cloud, 'leafcc')).ownRepositories).toEqual([]);
    expect((await actionsOf('hubaa-scope-map')).filter((a) => a.startsWith('repositories/app/'))).toEqual([]);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: 'scopeMap.update', targetName: 'midbb-scope-map' },
      orderBy: { id: 'desc' },
    });
    expect(event.details).toMatchObject({ alsoRemovedFrom: ['leafcc'] });
    // put it back for the tests below
    expect((await patch('leafcc-scope-map', { addActions: read('app') })).status).toBe(200);
    expect(await actionsOf('midbb-scope-map')).toEqual(expect.arrayContaining(read('app')));
  });

  it('accepts gateway actions already carried for its subtree (no change)', async () => {
    const before = await actionsOf('midbb-scope-map');
    const res = await patch('midbb-scope-map', { addActions: ['gateway/leafcc/config/read'] });
    expect(res.status).toBe(200);
    expect(await actionsOf('midbb-scope-map')).toEqual(before);
  });

  it('answers the registry’s gateway long poll at once', async () => {
    const config = (etag?: string, wait?: number) =>
      callGateway(getConfig, { registry: cloud, endpoint: 'config', ...edgeCredentials(midConnection, 'mid-box'), etag, wait });
    const first = await config();
    expect(first.status).toBe(200);
    const poll = config(first.headers.get('etag')!, 30);
    await new Promise((r) => setTimeout(r, 200));
    const changedAt = Date.now();
    expect((await patch('midbb-scope-map', { addActions: read('docs') })).status).toBe(200);
    const res = await poll;
    // woken by the change, not by its 30 s wait (which would answer 304): the speed itself is
    // bench:propagation's to measure, never a timed test's
    expect(Date.now() - changedAt).toBeLessThan(15_000);
    expect(res.status).toBe(200);
    expect((await res.json()).repositories).toContain('docs');
  });
});

describe('PATCH a sync scope map: refusals (409, nothing written)', () => {
  const cases: [string, string, Record<string, unknown>, string, RegExp][] = [
    [
      'write actions on a ReadOnly registry’s map',
      'leafcc-scope-map',
      { addActions: ['repositories/app/content/write'] },
      'readonly_violation',
      /leafcc is ReadOnly/,
    ],
    [
      'removing its own gateway actions',
      'midbb-scope-map',
      { removeActions: ['gateway/midbb/config/read'] },
      'own_gateway_action',
      /could no longer fetch its configuration/,
    ],
    [
      'removing a descendant’s gateway actions',
      'midbb-scope-map',
      { removeActions: ['gateway/leafcc/message/read'] },
      'descendant_gateway_action',
      /carried for leafcc/,
    ],
    [
      'gateway actions outside its subtree',
      'midbb-scope-map',
      { addActions: ['gateway/hubaa/config/read'] },
      'gateway_outside_subtree',
      /not midbb or a registry under it/,
    ],
    ['removing a leaf’s last repository', 'leafcc-scope-map', { removeActions: read('app') }, 'conflict', /at least one repository/],
  ];
  it('refuses repositories that would take an ancestor’s sync scope map past 500 repository permissions', async () => {
    // wideaa → wideab: each ReadWrite repository is 5 permissions, and wideaa carries its child's
    await create({ name: 'wideaa', repositories: ['wide/base'] });
    await create({ name: 'wideab', parent: 'wideaa', repositories: ['wide/leaf'] });
    const more = Array.from({ length: 99 }, (_, i) => readWrite(`wide/app${i}`)).flat();
    // the child's own map would hold 100 × 5 = 500 (allowed), its parent's 101 × 5 = 505
    const before = await snapshot();
    const res = await patch('wideab-scope-map', { addActions: more });
    expect(res.status).toBe(409);
    const { error } = res.body as unknown as ErrorBody;
    expect(error.code).toBe('too_many_permissions');
    expect(error.message).toMatch(/^The sync scope map of wideaa would hold 505 repository permissions; a scope map holds at most 500/);
    expect(await snapshot()).toEqual(before);
    // one repository fewer fits exactly
    expect((await patch('wideab-scope-map', { addActions: more.slice(5) })).status).toBe(200);
    expect((await actionsOf('wideaa-scope-map')).filter((a) => a.startsWith('repositories/'))).toHaveLength(500);
  });

  for (const [what, map, body, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await snapshot();
      const res = await patch(map, body);
      expect(res.status).toBe(409);
      const { error } = res.body as unknown as ErrorBody;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(await snapshot()).toEqual(before);
    });
  }
});

// The gateway under attack and under races: activation is atomic and bound to one instance,
// strangers cannot tell which registries exist, and a status body is read only after
// authentication, capped.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { deactivateConnectedRegistry } from '@/lib/registries/service/deactivate-connected-registry';
import { getConnectedRegistry } from '@/lib/registries/queries';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture, syncPasswordFixture } from '@/test/fixtures';
import { basicAuth as auth, callGateway } from '@/test/routes';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { POST as postStatus } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/status/route';
import { GET as getWhoami } from '@/app/gateway/v1/whoami/route';
import { GET as getUnknown } from '@/app/gateway/[...path]/route';

setupTestDatabase();
let actor: Actor;
let syncPassword = '';

type Opts = { registry?: string; user?: string; password?: string; instance?: string; address?: string };

/** What the edge `name` sends: its sync token's credentials unless others are given. */
const edge = (name: string, endpoint: string, opts: Opts) => ({
  registry: opts.registry ?? 'fabrikam',
  name,
  endpoint,
  user: opts.user ?? `${name}-sync-token`,
  password: opts.password ?? syncPassword,
  address: opts.address ?? '10.9.0.1',
  instance: opts.instance,
});

const config = (name: string, opts: Opts = {}) => callGateway(getConfig, edge(name, 'config', opts));
const status = (name: string, body: string, opts: Opts = {}) => callGateway(postStatus, { ...edge(name, 'status', opts), body });
/** shop01 asks who it is behind `parentEndpoint`, with a wrong password. */
const whoami = (parentEndpoint: string) =>
  getWhoami(
    new Request(`http://canopy.test/gateway/v1/whoami?parentEndpoint=${parentEndpoint}&name=shop01`, {
      headers: { authorization: auth('shop01-sync-token', 'wrong'), 'x-canopy-client-address': '10.9.0.1' },
    }),
    { params: Promise.resolve({}) },
  );

const online = JSON.stringify({ connectionState: 'Online', version: '1.0' });
const activations = () => getDb().auditEvent.count({ where: { action: 'connectedRegistry.activate', targetName: 'shop01' } });

beforeAll(async () => {
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'fabrikam');
  await createConnectedRegistryFixture(actor, 'fabrikam', { name: 'shop01', mode: 'ReadWrite', repositories: ['apps/pos'] });
  syncPassword = await syncPasswordFixture(actor, 'fabrikam', 'shop01');
});

beforeEach(async () => {
  await getDb().rateLimitBucket.deleteMany({});
});

describe('activation', () => {
  itOnPostgresServer(
    'of two simultaneous first fetches by different instances, exactly one wins (200) and the other gets 409, with one activation event',
    async () => {
      for (let round = 0; round < 10; round++) {
        await deactivateConnectedRegistry(actor, 'fabrikam', 'shop01');
        const before = await activations();
        const answers = await Promise.all([config('shop01', { instance: `a-${round}` }), config('shop01', { instance: `b-${round}` })]);
        expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(await activations()).toBe(before + 1);
        const winner = answers[0].status === 200 ? `a-${round}` : `b-${round}`;
        expect(await getDb().connectedRegistry.findFirstOrThrow({ where: { name: 'shop01' }, select: { instanceId: true } })).toEqual({
          instanceId: winner,
        });
      }
    },
  );

  it('the registry’s own sync token must name its instance: 400 without the header or with an empty one', async () => {
    await deactivateConnectedRegistry(actor, 'fabrikam', 'shop01');
    expect((await config('shop01', { instance: 'box-1' })).status).toBe(200);
    for (const instance of [undefined, '', '   ']) {
      const res = await config('shop01', { instance });
      expect(res.status).toBe(400);
      expect((await res.json()).error.details[0].field).toBe('X-Connected-Registry-Instance');
    }
    expect((await getConnectedRegistry('fabrikam', 'shop01')).activationStatus).toBe('Active');
    expect((await config('shop01', { instance: 'box-1' })).status).toBe(200);
  });

  it('status reports: 204 from the bound instance, 409 from another, 400 without an instance, 409 while inactive', async () => {
    await deactivateConnectedRegistry(actor, 'fabrikam', 'shop01');
    expect((await status('shop01', online, { instance: 'box-1' })).status).toBe(409);
    expect((await config('shop01', { instance: 'box-1' })).status).toBe(200);
    expect((await status('shop01', online, { instance: 'box-1' })).status).toBe(204);
    const other = await status('shop01', JSON.stringify({ connectionState: 'Unhealthy', version: 'impostor' }), { instance: 'box-2' });
    expect(other.status).toBe(409);
    expect((await other.json()).error.code).toBe('already_active');
    expect((await status('shop01', online, {})).status).toBe(400);
    expect((await getConnectedRegistry('fabrikam', 'shop01')).version).toBe('1.0');
  });
});

describe('before authentication, every answer is the same 401', () => {
  it('for an unknown cloud registry, an unknown connected registry and a known one, and from whoami', async () => {
    const answers = [
      await config('shop01', { registry: 'nosuchcloud', password: 'wrong', instance: 'x' }),
      await config('nosuchshop', { password: 'wrong', instance: 'x' }),
      await config('shop01', { password: 'wrong', instance: 'x' }),
      await whoami('nowhere.example'),
      await whoami('fabrikam.westus2.data.azurecr.io'),
    ];
    const seen = await Promise.all(answers.map(async (r) => ({ status: r.status, body: (await r.json()).error })));
    for (const answer of seen) expect(answer).toEqual(seen[2]);
    expect(seen[2].status).toBe(401);
    // with the right credentials, the unknown registry is a 403 (no gateway action for it), never a 404
    expect((await config('nosuchshop', { user: 'shop01-sync-token', instance: 'box-1' })).status).toBe(403);
  });

  it('an unknown path under /gateway answers 401 without credentials', async () => {
    const res = await getUnknown(new Request('http://canopy.test/gateway/v2/anything'), {
      params: Promise.resolve({ path: ['v2', 'anything'] }),
    });
    expect(res.status).toBe(401);
  });

  it('probing unknown registries is rate limited like wrong passwords', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 32; i++)
      last = await config(`ghost${i}x`, { registry: `ghostcloud${i}`, user: `ghost${i}`, password: 'x', address: '10.9.9.9' });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('status body', () => {
  it('is not read before authentication: a stranger’s garbage body gets the 401', async () => {
    const res = await status('shop01', '{not json', { password: 'wrong', instance: 'box-1' });
    expect(res.status).toBe(401);
  });

  it('is capped: 413 for a body over 64 KB, nothing written', async () => {
    await deactivateConnectedRegistry(actor, 'fabrikam', 'shop01');
    expect((await config('shop01', { instance: 'box-1' })).status).toBe(200);
    const huge = JSON.stringify({ connectionState: 'Syncing', version: 'x'.repeat(200_000) });
    const res = await status('shop01', huge, { instance: 'box-1' });
    expect(res.status).toBe(413);
    expect((await getConnectedRegistry('fabrikam', 'shop01')).connectionState).not.toBe('Syncing');
  });
});

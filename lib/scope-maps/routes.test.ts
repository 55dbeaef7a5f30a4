// The scope-maps REST API through its route handlers against a real database: status codes
// and the JSON error format for the rules of lib/scope-maps/service.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as scopeMapRoute from '@/app/api/v1/registries/[registry]/scope-maps/[name]/route';
import * as scopeMapsRoute from '@/app/api/v1/registries/[registry]/scope-maps/route';
import * as tokensRoute from '@/app/api/v1/registries/[registry]/tokens/route';
import { getDb } from '@/lib/db/client';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { restRequest, type ErrorBody } from '@/test/routes';

setupTestDatabase();

const cloud = 'contoso';
let contributor: string;
let reader: string;

beforeAll(async () => {
  const c = await createActorWithBearer('Contributor');
  contributor = c.bearer;
  reader = (await createActorWithBearer('Reader')).bearer;
  await createCloudRegistryFixture(c, cloud);
});

const request = (bearer: string, method: string, path: string, body?: unknown) =>
  restRequest({ bearer, method, path: `/registries/${cloud}${path}`, body });
const params = (p: Record<string, string> = {}) => ({
  params: Promise.resolve({ registry: cloud, ...p }) as Promise<{ registry: string; name: string }>,
});

const READ = ['repositories/app/content/read', 'repositories/app/metadata/read'];

async function actionsOf(name: string) {
  return (await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name }, select: { actions: true } })).actions;
}

describe('scope maps over REST', () => {
  it('POST creates a map (201), and a Reader gets 403', async () => {
    const res = await scopeMapsRoute.POST(request(contributor, 'POST', '/scope-maps', { name: 'restmap', actions: READ }), {
      params: Promise.resolve({ registry: cloud }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'restmap', actions: READ, system: false, tokenCount: 0 });
    const forbidden = await scopeMapsRoute.POST(request(reader, 'POST', '/scope-maps', { name: 'readermap', actions: READ }), {
      params: Promise.resolve({ registry: cloud }),
    });
    expect(forbidden.status).toBe(403);
    expect(await getDb().scopeMap.count({ where: { name: 'readermap' } })).toBe(0);
  });

  it('PATCH with a bad action answers 400 with the field and message in details, and changes nothing', async () => {
    const res = await scopeMapRoute.PATCH(
      request(contributor, 'PATCH', '/scope-maps/restmap', {
        addActions: ['repositories/app/content/execute', 'repositories/app/content/write'],
      }),
      params({ name: 'restmap' }),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('invalid_request');
    expect(error.details).toHaveLength(1);
    expect(error.details[0]).toEqual({
      field: 'addActions',
      message: expect.stringContaining('"repositories/app/content/execute" must end with one of'),
    });
    expect(await actionsOf('restmap')).toEqual(READ);
  });

  it('PATCH with more than 500 repository permissions answers 400', async () => {
    const addActions = Array.from({ length: 501 }, (_, i) => `repositories/r${i}/content/read`);
    const res = await scopeMapRoute.PATCH(
      request(contributor, 'PATCH', '/scope-maps/restmap', { addActions }),
      params({ name: 'restmap' }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details).toEqual([
      { field: 'addActions', message: 'A scope map can hold at most 500 repository permissions; this one has 501.' },
    ]);
  });

  it('PATCH applies addActions, removeActions and description; a Reader gets 403 but may GET', async () => {
    const forbidden = await scopeMapRoute.PATCH(
      request(reader, 'PATCH', '/scope-maps/restmap', { description: 'mine' }),
      params({ name: 'restmap' }),
    );
    expect(forbidden.status).toBe(403);
    const res = await scopeMapRoute.PATCH(
      request(contributor, 'PATCH', '/scope-maps/restmap', {
        addActions: ['repositories/web/content/read'],
        removeActions: [READ[1]],
        description: 'pull app and web',
      }),
      params({ name: 'restmap' }),
    );
    expect(res.status).toBe(200);
    const got = await scopeMapRoute.GET(request(reader, 'GET', '/scope-maps/restmap'), params({ name: 'restmap' }));
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ actions: [READ[0], 'repositories/web/content/read'], description: 'pull app and web' });
  });

  it('PATCH and DELETE of a system scope map answer 409 system_scope_map', async () => {
    const patch = await scopeMapRoute.PATCH(
      request(contributor, 'PATCH', '/scope-maps/_repositories_pull', { description: 'x' }),
      params({ name: '_repositories_pull' }),
    );
    expect(patch.status).toBe(409);
    expect(((await patch.json()) as ErrorBody).error.code).toBe('system_scope_map');
    const del = await scopeMapRoute.DELETE(
      request(contributor, 'DELETE', '/scope-maps/_repositories_pull'),
      params({ name: '_repositories_pull' }),
    );
    expect(del.status).toBe(409);
  });

  it('DELETE answers 409 in_use while a token uses the map, then 204 once none does', async () => {
    const created = await tokensRoute.POST(
      request(contributor, 'POST', '/tokens', { name: 'rest-user', scopeMap: 'restmap', noPasswords: true }),
      {
        params: Promise.resolve({ registry: cloud }),
      },
    );
    expect(created.status).toBe(201);
    const refused = await scopeMapRoute.DELETE(request(contributor, 'DELETE', '/scope-maps/restmap'), params({ name: 'restmap' }));
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({ code: 'in_use', message: expect.stringContaining('rest-user') });

    await getDb().token.deleteMany({ where: { name: 'rest-user' } });
    const res = await scopeMapRoute.DELETE(request(contributor, 'DELETE', '/scope-maps/restmap'), params({ name: 'restmap' }));
    expect(res.status).toBe(204);
    expect((await scopeMapRoute.GET(request(reader, 'GET', '/scope-maps/restmap'), params({ name: 'restmap' }))).status).toBe(404);
  });
});

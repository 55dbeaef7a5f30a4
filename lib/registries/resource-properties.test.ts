// The rest of the connected-registry resource (ACR's REST properties): garbageCollection, the
// login server's tls, and logging's auditLogStatus — through the REST handlers, into the audit
// log, the gateway's configuration document and the connection strings that follow tls.
import { beforeAll, describe, expect, it } from 'vitest';
import * as connectedRegistriesRoute from '@/app/api/v1/registries/[registry]/connected-registries/route';
import * as connectedRegistryRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/route';
import * as settingsRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/settings/route';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { getDb } from '@/lib/db/client';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway, callRoute, type ErrorBody } from '@/test/routes';

setupTestDatabase();

const cloud = 'fabrikam';
let contributor: string;
let reader: string;

/** Calls a route handler of this cloud registry's resources, as the contributor unless another token is given. */
const call = (handler: unknown, method: string, path: string, body?: unknown, params: Record<string, string> = {}, token = contributor) =>
  callRoute<Record<string, unknown> & ErrorBody>(handler, {
    bearer: token,
    method,
    path: `/registries/${cloud}${path}`,
    body,
    params: { registry: cloud, ...params },
  });

const create = (fields: Record<string, unknown>) => call(connectedRegistriesRoute.POST, 'POST', '/connected-registries', fields);
const patch = (name: string, fields: unknown, token = contributor) =>
  call(connectedRegistryRoute.PATCH, 'PATCH', `/connected-registries/${name}`, fields, { name }, token);
const settings = (name: string, fields: unknown) =>
  call(settingsRoute.POST, 'POST', `/connected-registries/${name}/settings`, fields, { name });
const row = (name: string) => getDb().connectedRegistry.findFirstOrThrow({ where: { name }, omit: {} });
const auditOf = (name: string, action: string) =>
  getDb().auditEvent.findMany({ where: { targetName: name, action }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  const c = await createActorWithBearer('Contributor');
  contributor = c.bearer;
  reader = (await createActorWithBearer('Reader')).bearer;
  await createCloudRegistryFixture(c, cloud);
});

describe('creating a connected registry', () => {
  it('defaults to tls Enabled, auditLogStatus Disabled and daily garbage collection, and shows them', async () => {
    const res = await create({ name: 'plainedge', loginServer: 'plain.local', repositories: ['app'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      tls: 'Enabled',
      auditLogStatus: 'Disabled',
      logLevel: 'Information',
      garbageCollection: { enabled: true, schedule: '0 0 * * *' },
    });
    const shown = await call(
      connectedRegistryRoute.GET,
      'GET',
      '/connected-registries/plainedge',
      undefined,
      { name: 'plainedge' },
      reader,
    );
    expect(shown.body).toMatchObject({
      tls: 'Enabled',
      auditLogStatus: 'Disabled',
      garbageCollection: { enabled: true, schedule: '0 0 * * *' },
    });
  });

  it('takes tls, auditLogStatus and garbageCollection, and audits them', async () => {
    const res = await create({
      name: 'httpparent',
      loginServer: '10.0.0.5:5000',
      tls: 'Disabled',
      auditLogStatus: 'Enabled',
      garbageCollection: { enabled: false, schedule: '30 2 * * 0' },
      repositories: ['app'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      tls: 'Disabled',
      auditLogStatus: 'Enabled',
      garbageCollection: { enabled: false, schedule: '30 2 * * 0' },
    });
    const [event] = await auditOf('httpparent', 'connectedRegistry.create');
    expect(event.details).toMatchObject({
      tls: 'Disabled',
      auditLogStatus: 'Enabled',
      garbageCollection: { enabled: false, schedule: '30 2 * * 0' },
    });
  });

  it.each([
    [{ tls: 'Off' }, 'tls'],
    [{ auditLogStatus: true }, 'auditLogStatus'],
    [{ garbageCollection: { schedule: 'daily' } }, 'garbageCollection.schedule'],
    [{ garbageCollection: { enabled: 'yes' } }, 'garbageCollection.enabled'],
    [{ garbageCollection: { enabled: true, when: 'now' } }, 'garbageCollection'],
  ])('refuses %j with a 400 naming %s, and creates nothing', async (bad, field) => {
    const res = await create({ name: 'badedge', loginServer: 'bad.local', repositories: ['app'], ...bad });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
    expect(await getDb().connectedRegistry.count({ where: { name: 'badedge' } })).toBe(0);
  });
});

describe('PATCH a connected registry', () => {
  it('changes each new field and records before/after for each', async () => {
    const res = await patch('plainedge', { tls: 'Disabled', auditLogStatus: 'Enabled', garbageCollection: { schedule: '0 3 * * *' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tls: 'Disabled',
      auditLogStatus: 'Enabled',
      garbageCollection: { enabled: true, schedule: '0 3 * * *' },
    });
    const off = await patch('plainedge', { garbageCollection: { enabled: false } });
    expect(off.body).toMatchObject({ garbageCollection: { enabled: false, schedule: '0 3 * * *' } });
    const events = await auditOf('plainedge', 'connectedRegistry.update');
    expect(events[0].details).toEqual({
      tls: { before: 'Enabled', after: 'Disabled' },
      auditLogStatus: { before: 'Disabled', after: 'Enabled' },
      garbageCollection: { before: { enabled: true, schedule: '0 0 * * *' }, after: { enabled: true, schedule: '0 3 * * *' } },
    });
    expect(events[1].details).toEqual({
      garbageCollection: { before: { enabled: true, schedule: '0 3 * * *' }, after: { enabled: false, schedule: '0 3 * * *' } },
    });
  });

  it('refuses a bad value with a 400 and writes nothing; a Reader gets a 403', async () => {
    const before = await row('plainedge');
    const auditCount = await getDb().auditEvent.count();
    for (const bad of [
      { tls: 'enabled' },
      { auditLogStatus: 'On' },
      { garbageCollection: { schedule: '61 * * * *' } },
      { garbageCollection: null },
    ]) {
      const res = await patch('plainedge', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await patch('plainedge', { tls: 'Enabled' }, reader)).status).toBe(403);
    const after = await row('plainedge');
    expect({ tls: after.tls, audit: after.auditLogStatus, gc: [after.gcEnabled, after.gcSchedule] }).toEqual({
      tls: before.tls,
      audit: before.auditLogStatus,
      gc: [before.gcEnabled, before.gcSchedule],
    });
    expect(await getDb().auditEvent.count()).toBe(auditCount);
  });
});

/** childedge's own configuration, fetched as the on-premises registry does. */
const childConfig = (password: string) =>
  callGateway(getConfig, {
    registry: cloud,
    name: 'childedge',
    endpoint: 'config',
    user: 'childedge-sync-token',
    password,
    address: '10.9.0.1',
    instance: 'child-box',
  });

describe('where tls and the new fields go', () => {
  it('the gateway configuration carries them, and a connected parent’s protocol follows its tls', async () => {
    const child = await create({ name: 'childedge', parent: 'httpparent', loginServer: 'child.local', repositories: ['app'] });
    expect(child.status).toBe(201);
    // the connection string given at creation follows the parent's TLS too
    expect(child.body.connectionString).toMatch(/;ParentGatewayEndpoint=10\.0\.0\.5:5000;ParentEndpointProtocol=http$/);
    const generated = await settings('childedge', { generatePassword: 'password1' });
    expect(generated.status).toBe(200);
    // the parent httpparent serves plain http: the string says so without being told
    expect(generated.body.connectionString).toMatch(/;ParentGatewayEndpoint=10\.0\.0\.5:5000;ParentEndpointProtocol=http$/);
    const password = /SyncTokenPassword=([^;]+)/.exec(generated.body.connectionString as string)![1];
    const res = await childConfig(password);
    expect(res.status).toBe(200);
    const config = await res.json();
    expect(config).toMatchObject({
      tls: 'Enabled',
      auditLogStatus: 'Disabled',
      garbageCollection: { enabled: true, schedule: '0 0 * * *' },
      parent: { kind: 'connectedRegistry', name: 'httpparent', endpoint: '10.0.0.5:5000', protocol: 'http' },
    });
    const etag = res.headers.get('etag');

    // a change of a new field changes the document (and so its ETag): the registry hears of it
    await patch('childedge', { garbageCollection: { schedule: '0 4 * * *' } });
    await patch('httpparent', { tls: 'Enabled' });
    const again = await childConfig(password);
    expect(again.headers.get('etag')).not.toBe(etag);
    expect(await again.json()).toMatchObject({ garbageCollection: { schedule: '0 4 * * *' }, parent: { protocol: 'https' } });
    const https = await settings('childedge', {});
    expect(https.body.connectionString).toMatch(/;ParentEndpointProtocol=https$/);
    // an explicit protocol still wins (a parent behind a TLS-terminating proxy, say)
    const explicit = await settings('childedge', { parentProtocol: 'http' });
    expect(explicit.body.connectionString).toMatch(/;ParentEndpointProtocol=http$/);
  });
});

describe('POST CR/settings with expiry', () => {
  it('gives the generated sync password that expiry, and audits it', async () => {
    const expiry = new Date(Date.now() + 30 * 86400_000).toISOString();
    const res = await settings('plainedge', { generatePassword: 'password2', expiry });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const slot = await getDb().tokenPassword.findFirstOrThrow({ where: { token: { name: 'plainedge-sync-token' }, slot: 'password2' } });
    expect(slot.expiry?.toISOString()).toBe(expiry);
    const [event] = await auditOf('plainedge', 'connectedRegistry.rotateSyncCredentials');
    expect(event.details).toMatchObject({ slot: 'password2', expiry });
  });

  it('refuses an expiry in the past, a malformed one, or one without generatePassword, and writes nothing', async () => {
    const before = await getDb().tokenPassword.findMany({ where: { token: { name: 'plainedge-sync-token' } }, orderBy: { slot: 'asc' } });
    const cases = [
      { generatePassword: 'password1', expiry: '2020-01-01T00:00:00Z' },
      { generatePassword: 'password1', expiry: 'next week' },
      { expiry: new Date(Date.now() + 86400_000).toISOString() },
    ];
    for (const body of cases) {
      const res = await settings('plainedge', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d) => d.field)).toContain('expiry');
    }
    const after = await getDb().tokenPassword.findMany({ where: { token: { name: 'plainedge-sync-token' } }, orderBy: { slot: 'asc' } });
    expect(after.map((p) => p.createdAt.getTime())).toEqual(before.map((p) => p.createdAt.getTime()));
  });
});

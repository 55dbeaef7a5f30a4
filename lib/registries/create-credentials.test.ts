// Creating a connected registry answers, once and uncached, with the connection string its
// on-premises side is deployed with: password1 of its sync token is generated in the same
// transaction, and the string works at the gateway at once.
import { beforeAll, describe, expect, it } from 'vitest';
import * as connectedRegistriesRoute from '@/app/api/v1/registries/[registry]/connected-registries/route';
import * as connectedRegistryRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/route';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { getDb } from '@/lib/db/client';
import { parseConnectionString } from '@/lib/gateway/connection-string';
import { verifyTokenPassword } from '@/lib/tokens/passwords';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { callGateway, callRoute, edgeCredentials, type ErrorBody } from '@/test/routes';

setupTestDatabase();

let bearer = '';
let cloud = '';

beforeAll(async () => {
  const contributor = await createActorWithBearer('Contributor');
  bearer = contributor.bearer;
  cloud = await createCloudRegistryFixture(contributor);
});

type Created = Record<string, unknown> & {
  name: string;
  syncToken: string;
  connectionString: string;
  syncPassword: { name: string; creationTime: string; expiry: string | null } | null;
  note: string | null;
};

const create = (body: Record<string, unknown>) =>
  callRoute<Created>(connectedRegistriesRoute.POST, {
    bearer,
    method: 'POST',
    path: `/registries/${cloud}/connected-registries`,
    params: { registry: cloud },
    body,
  });

const edge = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  loginServer: `${name}.factory.local:5000`,
  repositories: ['apps/web'],
  ...extra,
});

async function syncVerifier(tokenName: string) {
  const row = await getDb().tokenPassword.findFirstOrThrow({
    where: { token: { cloudRegistry: { name: cloud }, name: tokenName }, slot: 'password1' },
    omit: { verifier: false },
  });
  return row.verifier;
}

const fetchConfigWith = (connectionString: string) =>
  callGateway(getConfig, { registry: cloud, endpoint: 'config', ...edgeCredentials(connectionString) });

describe('POST …/connected-registries answers with the connection string', () => {
  it('generates password1 in the same transaction and shows it once, no-store, in a string the gateway accepts', async () => {
    const res = await create(edge('plant01'));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ name: 'plant01', syncToken: 'plant01-sync-token', parent: null, note: null });
    const s = parseConnectionString(res.body.connectionString);
    expect(s).toMatchObject({
      connectedRegistryName: 'plant01',
      syncTokenName: 'plant01-sync-token',
      parentGatewayEndpoint: `${cloud.toLowerCase()}.westus2.data.azurecr.io`,
      parentEndpointProtocol: 'https',
    });
    expect(res.body.syncPassword).toEqual({ name: 'password1', creationTime: expect.any(String), expiry: null });
    expect(verifyTokenPassword(await syncVerifier('plant01-sync-token'), s.syncTokenPassword)).toBe(true);
    expect((await fetchConfigWith(res.body.connectionString)).status).toBe(200);

    // never again: not in a GET, not in the audit log
    const again = await callRoute(connectedRegistryRoute.GET, {
      bearer,
      path: `/registries/${cloud}/connected-registries/plant01`,
      params: { registry: cloud, name: 'plant01' },
    });
    expect(JSON.stringify(again.body)).not.toContain(s.syncTokenPassword);
    expect(again.body).not.toHaveProperty('connectionString');
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.create', targetName: 'plant01' } });
    expect(audit.details).toMatchObject({ syncToken: 'plant01-sync-token', syncPasswordGenerated: 'password1' });
    expect(JSON.stringify(audit.details)).not.toContain(s.syncTokenPassword);
  });

  it('under a connected parent: the parent’s login server, with parentProtocol (default https)', async () => {
    expect((await create(edge('plant02'))).status).toBe(201);
    const https = await create(edge('line01', { parent: 'plant02' }));
    expect(https.status).toBe(201);
    expect(parseConnectionString(https.body.connectionString)).toMatchObject({
      parentGatewayEndpoint: 'plant02.factory.local:5000',
      parentEndpointProtocol: 'https',
    });
    const http = await create(edge('line02', { parent: 'plant02', parentProtocol: 'http' }));
    expect(http.status).toBe(201);
    expect(parseConnectionString(http.body.connectionString)).toMatchObject({
      connectedRegistryName: 'line02',
      parentGatewayEndpoint: 'plant02.factory.local:5000',
      parentEndpointProtocol: 'http',
    });
  });

  it('refuses http for a cloud parent with 400, writing nothing', async () => {
    const before = await Promise.all([getDb().connectedRegistry.count(), getDb().token.count(), getDb().auditEvent.count()]);
    const res = await create(edge('plant03', { parentProtocol: 'http' }));
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.details).toEqual([
      { field: 'parentProtocol', message: expect.stringContaining('always reached over https') },
    ]);
    expect(await Promise.all([getDb().connectedRegistry.count(), getDb().token.count(), getDb().auditEvent.count()])).toEqual(before);
  });
});

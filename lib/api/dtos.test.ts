// The DTOs the services answer with parse with the zod schemas the OpenAPI document is built
// from, and carry no key those schemas leave out (strict): the schema is the one definition of
// each DTO, and this keeps the services honest to it.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/roles';
import { adminDto } from '@/lib/admins/schemas';
import { listAdmins } from '@/lib/admins/service';
import { listAuditEvents } from '@/lib/audit/queries';
import { auditEventDto, auditQuery } from '@/lib/audit/schemas';
import { createAccessToken, listAccessTokens } from '@/lib/auth/access-tokens';
import { accessTokenDto, createdAccessTokenDto } from '@/lib/auth/schemas';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { getCloudRegistry, listCloudRegistries } from '@/lib/registries/cloud-queries';
import { loginServerUsage } from '@/lib/registries/login-servers';
import { syncPermissions } from '@/lib/registries/permissions-view';
import { getConnectedRegistry, hierarchyTree, listClientTokens, listConnectedRegistries } from '@/lib/registries/queries';
import {
  clientTokenDto,
  cloudRegistryDto,
  connectedRegistryDto,
  createConnectedRegistryInput,
  createdConnectedRegistryDto,
  hierarchyTreeDto,
  listConnectedRegistriesQuery,
  loginServerUsageDto,
  registryStateCountsDto,
  syncPermissionsDto,
} from '@/lib/registries/schemas';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { registryStateCounts } from '@/lib/registries/state-counts';
import { getScopeMap, listScopeMaps } from '@/lib/scope-maps/queries';
import { listScopeMapsQuery, scopeMapDto } from '@/lib/scope-maps/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { getToken, listTokens } from '@/lib/tokens/queries';
import { createTokenInput, createdTokenDto, listTokensQuery, revealedPassword, tokenDto } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePasswords } from '@/lib/tokens/service/regenerate-passwords';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';

setupTestDatabase();

/** Strict at every level: a key the schema does not name fails the parse. */
function strictly(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject)
    return z.strictObject(Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, strictly(v as z.ZodType)])));
  if (schema instanceof z.ZodArray) return z.array(strictly(schema.element as z.ZodType));
  if (schema instanceof z.ZodNullable) return strictly(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodOptional) return strictly(schema.unwrap() as z.ZodType).optional();
  return schema;
}

function expectDto(schema: z.ZodType, value: unknown) {
  const parsed = strictly(schema).safeParse(value);
  expect(parsed.error?.issues ?? []).toEqual([]);
}

let actor: Actor;
let cloud: string;
beforeAll(async () => {
  actor = await createActor('Contributor');
  cloud = await createCloudRegistryFixture(actor);
  await createScopeMap(actor, cloud, { name: 'pullmap', actions: ['repositories/app/content/read'] });
});

describe('the DTOs parse with their schemas', () => {
  it('strictly() refuses a key the schema does not name, at any depth', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.string() })) });
    expect(strictly(schema).safeParse({ a: [{ b: 'x' }] }).success).toBe(true);
    expect(strictly(schema).safeParse({ a: [{ b: 'x', c: 1 }] }).success).toBe(false);
    expect(strictly(schema).safeParse({ a: [], c: 1 }).success).toBe(false);
  });

  it('tokens: created (with revealed passwords), read, listed; regenerated passwords', async () => {
    const { token, passwords } = await createToken(actor, cloud, parseInput(createTokenInput, { name: 'dto-token', scopeMap: 'pullmap' }));
    expectDto(createdTokenDto, { ...token, passwords });
    expectDto(tokenDto, token);
    expectDto(tokenDto, await getToken(cloud, 'dto-token'));
    const page = await listTokens(cloud, listTokensQuery.parse({}));
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) expectDto(tokenDto, item);
    const revealed = await regeneratePasswords(actor, cloud, 'dto-token', { names: ['password2'] });
    for (const p of revealed) expectDto(revealedPassword, p);
  });

  it('cloud and connected registries: created (with the connection string), read, listed, the hierarchy, permissions, client tokens, login servers, state counts', async () => {
    await createToken(actor, cloud, parseInput(createTokenInput, { name: 'dto-client', scopeMap: 'pullmap', noPasswords: true }));
    expectDto(cloudRegistryDto, await getCloudRegistry(cloud));
    for (const item of (await listCloudRegistries({ limit: 50 })).items) expectDto(cloudRegistryDto, item);
    const created = await createConnectedRegistry(
      actor,
      cloud,
      parseInput(createConnectedRegistryInput, {
        name: 'dtoparent',
        loginServer: 'dtoparent.factory.test',
        repositories: ['app'],
        clientTokens: ['dto-client'],
      }),
    );
    expectDto(createdConnectedRegistryDto, created);
    expect(created.syncPassword).not.toBeNull();
    await createConnectedRegistry(
      actor,
      cloud,
      parseInput(createConnectedRegistryInput, {
        name: 'dtochild',
        parent: 'dtoparent',
        loginServer: 'dtochild.factory.test',
        mode: 'ReadOnly',
        repositories: ['app'],
      }),
    );
    // a registry that reported: its status fields filled
    await getDb().connectedRegistry.updateMany({
      where: { name: 'dtochild' },
      data: { activationStatus: 'Active', connectionState: 'Syncing', lastActivityTime: new Date(), version: '1.0.0' },
    });
    expectDto(connectedRegistryDto, await getConnectedRegistry(cloud, 'dtoparent'));
    expectDto(connectedRegistryDto, await getConnectedRegistry(cloud, 'dtochild'));
    const page = await listConnectedRegistries(cloud, listConnectedRegistriesQuery.parse({}));
    expect(page.items).toHaveLength(2);
    for (const item of page.items) expectDto(connectedRegistryDto, item);
    const tree = await hierarchyTree(cloud);
    expect(tree.nodes).toHaveLength(2);
    expectDto(hierarchyTreeDto, tree);
    expectDto(syncPermissionsDto, await syncPermissions(cloud, 'dtoparent'));
    const clientTokens = await listClientTokens(cloud, 'dtoparent');
    expect(clientTokens).toHaveLength(1);
    for (const item of clientTokens) expectDto(clientTokenDto, item);
    expectDto(loginServerUsageDto, await loginServerUsage(getDb(), 'dtoparent.factory.test'));
    expectDto(registryStateCountsDto, await registryStateCounts());
  });

  it('scope maps: read and listed (system maps included)', async () => {
    expectDto(scopeMapDto, await getScopeMap(cloud, 'pullmap'));
    const page = await listScopeMaps(cloud, listScopeMapsQuery.parse({}));
    expect(page.items.length).toBeGreaterThan(3);
    for (const item of page.items) expectDto(scopeMapDto, item);
  });

  it('admins, access tokens and audit events', async () => {
    const owner = await createActor('Owner');
    for (const item of await listAdmins(owner)) expectDto(adminDto, item);
    expectDto(createdAccessTokenDto, await createAccessToken(owner, { name: 'dto-access' }));
    const tokens = await listAccessTokens(owner);
    expect(tokens).toHaveLength(1);
    for (const item of tokens) expectDto(accessTokenDto, item);
    const events = await listAuditEvents(auditQuery.parse({}));
    expect(events.items.length).toBeGreaterThan(0);
    for (const item of events.items) expectDto(auditEventDto, item);
  });
});

import 'server-only';
// Reads the token and scope-map pages need beyond the services' own: where a token logs in,
// which scope maps a client token may use, which tokens use a map, and which connected
// registries a scope map's gateway actions can name.
import { getDb } from '@/lib/db/client';
import { resolveCloudRegistry } from '@/lib/registries/cloud-queries';
import { protocolFor } from '@/lib/registries/rules';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import type { ScopeMapDto } from '@/lib/scope-maps/schemas';
import type { TokenDto } from './schemas';
import { sameName } from '@/lib/db/like';

/** A registry endpoint a token authenticates at, for the `docker login` lines; tls Disabled = plain http. */
export type LoginEndpoint = { registry: string; endpoint: string; tls: 'Enabled' | 'Disabled' };

export type TokenLogin = {
  endpoints: LoginEndpoint[];
  /** for a sync token: whether its registry's parent is the cloud registry (then https is forced) */
  parentIsCloud: boolean | null;
  /** for a sync token: the protocol its parent's login-server TLS gives */
  parentProtocol: 'https' | 'http';
};

/**
 * Client tokens log in at each connected registry that accepts them; a sync token at its
 * registry's parent — another connected registry, or the cloud registry's login server.
 */
export async function tokenLogin(registryName: string, token: Pick<TokenDto, 'name' | 'kind' | 'syncRegistry'>): Promise<TokenLogin> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  if (token.kind === 'sync' && token.syncRegistry) {
    const row = await db.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: token.syncRegistry },
      select: { parent: { select: { name: true, loginServer: true, tls: true } } },
    });
    const parent = row?.parent ?? null;
    return {
      endpoints: [
        { registry: parent?.name ?? cloud.name, endpoint: parent?.loginServer ?? cloud.loginServer, tls: parent?.tls ?? 'Enabled' },
      ],
      parentIsCloud: parent === null,
      parentProtocol: parent ? protocolFor(parent.tls) : 'https',
    };
  }
  const rows = await db.connectedRegistry.findMany({
    where: { cloudRegistryId: cloud.id, clientTokens: { some: { token: { name: token.name } } } },
    orderBy: { name: 'asc' },
    select: { name: true, loginServer: true, tls: true },
  });
  return {
    endpoints: rows.map((r) => ({ registry: r.name, endpoint: r.loginServer, tls: r.tls })),
    parentIsCloud: null,
    parentProtocol: 'https',
  };
}

/** The scope maps a client token may be given: the user's own and the system ones (not sync maps). */
export async function clientScopeMapChoices(registryName: string): Promise<{ user: ScopeMapDto[]; system: ScopeMapDto[] }> {
  const [user, system] = await Promise.all([
    listScopeMaps(registryName, { kind: 'user', limit: 200 }),
    listScopeMaps(registryName, { kind: 'system', limit: 200 }),
  ]);
  return { user: user.items, system: system.items };
}

export type ScopeMapTokenRow = { name: string; kind: 'client' | 'sync'; status: 'enabled' | 'disabled' };

/** The tokens that use a scope map (the first `limit` by name). */
export async function tokensUsingScopeMap(registryName: string, scopeMapName: string, limit = 50): Promise<ScopeMapTokenRow[]> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const rows = await db.token.findMany({
    where: { cloudRegistryId: cloud.id, scopeMap: { cloudRegistryId: cloud.id, name: sameName(scopeMapName) } },
    orderBy: { name: 'asc' },
    take: limit,
    select: { name: true, status: true, syncRegistry: { select: { name: true } } },
  });
  return rows.map((r) => ({ name: r.name, status: r.status, kind: r.syncRegistry ? 'sync' : 'client' }));
}

export type ConnectedRegistryOption = { name: string; mode: 'ReadWrite' | 'ReadOnly' };

/** The connected registries of a cloud registry, for the gateway-action picker (first 500 by name). */
export async function connectedRegistryOptions(registryName: string): Promise<ConnectedRegistryOption[]> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  return db.connectedRegistry.findMany({
    where: { cloudRegistryId: cloud.id },
    orderBy: { name: 'asc' },
    take: 500,
    select: { name: true, mode: true },
  });
}

// The gateway's reads: the configuration document a connected registry fetches (with the client
// tokens it accepts and their password verifiers, so it can authenticate clients while offline),
// and which cloud registry an edge that only has its connection string belongs to.
import 'server-only';
import { createHash } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { currentKnown } from '@/lib/db/last-known';
import { sameName } from '@/lib/db/like';
import type { Prisma } from '@/lib/generated/prisma/client';
import { protocolFor } from '@/lib/registries/rules';
import { syncTargetsOf } from '@/lib/registries/sync-scope';
import { syncSettingsOf, syncSettingsSelect } from '@/lib/registries/sync-settings';
import { authenticateSyncToken } from './auth';

/**
 * Version of the configuration document. Fields are only ever added (an older edge ignores what
 * it does not know); a change that older edges would misread gets a new version.
 * 1: adds `schemaVersion`, `descendants` and `childSyncTokens`; later `syncRequest` (Sync now,
 *    lib/sync/report.ts), which older edges ignore.
 */
export const CONFIG_SCHEMA_VERSION = 1;

export const passwordFields = { slot: true, verifier: true, createdAt: true, expiry: true } as const;

// salted SHA-256 verifiers: enough to check a password offline, never the password
function passwordEntry(p: { slot: string; verifier: string; createdAt: Date; expiry: Date | null }) {
  return { name: p.slot, verifier: p.verifier, creationTime: p.createdAt.toISOString(), expiry: p.expiry?.toISOString() ?? null };
}

/** The columns of a registry's own row that its configuration carries. */
export const configColumns = {
  name: true,
  mode: true,
  loginServer: true,
  tls: true,
  ...syncSettingsSelect,
  syncRequestId: true,
  syncRequestedAt: true,
} as const;

// what a configuration is made of: one registry's row and the rows around it
const configSelect = {
  ...configColumns,
  parent: { select: { name: true, loginServer: true, tls: true } },
  syncToken: { select: { name: true, status: true } },
  syncScopeMap: { select: { actions: true } },
  // direct children sync through this registry: its edge authenticates their sync tokens
  children: {
    orderBy: { name: 'asc' },
    select: {
      name: true,
      mode: true,
      syncToken: { select: { name: true, status: true, passwords: { orderBy: { slot: 'asc' }, select: passwordFields } } },
      syncScopeMap: { select: { actions: true } },
    },
  },
  clientTokens: {
    orderBy: { token: { name: 'asc' } },
    select: {
      token: {
        select: {
          name: true,
          status: true,
          scopeMap: { select: { name: true, actions: true } },
          passwords: { orderBy: { slot: 'asc' }, select: passwordFields },
        },
      },
    },
  },
} as const satisfies Prisma.ConnectedRegistrySelect;

export type ConfigRow = Prisma.ConnectedRegistryGetPayload<{ select: typeof configSelect }>;
type ConfigCloud = { id: string; name: string; loginServer: string; dataEndpoint: string };

/** The configuration document; everything in it is part of its ETag. */
export async function buildConfig(cloud: ConfigCloud, registryId: string) {
  const r = await getDb().connectedRegistry.findUniqueOrThrow({ where: { id: registryId }, select: configSelect });
  return configOf(cloud, r);
}

/** The configuration document of one registry read with `configSelect`, and its ETag. */
export function configOf(cloud: ConfigCloud, r: ConfigRow) {
  const targets = syncTargetsOf(r.syncScopeMap.actions);
  const config = {
    schemaVersion: CONFIG_SCHEMA_VERSION,
    name: r.name,
    registry: cloud.name,
    mode: r.mode,
    loginServer: r.loginServer,
    tls: r.tls,
    parent: r.parent
      ? { kind: 'connectedRegistry', name: r.parent.name, endpoint: r.parent.loginServer, protocol: protocolFor(r.parent.tls) }
      : { kind: 'cloudRegistry', name: cloud.name, loginServer: cloud.loginServer, dataEndpoint: cloud.dataEndpoint, protocol: 'https' },
    repositories: targets.repositories,
    // every registry below it (its sync scope map carries their gateway actions): the edge relays their gateway requests
    descendants: targets.registries.filter((n) => n !== r.name.toLowerCase()),
    ...syncSettingsOf(r),
    // the latest Sync now: an edge that has not handled this id starts a run (lib/sync/report.ts)
    syncRequest: r.syncRequestId && r.syncRequestedAt ? { id: r.syncRequestId, requestedAt: r.syncRequestedAt.toISOString() } : null,
    syncToken: { name: r.syncToken.name, status: r.syncToken.status },
    clientTokens: r.clientTokens.map(({ token }) => ({
      name: token.name,
      status: token.status,
      scopeMap: token.scopeMap.name,
      actions: token.scopeMap.actions,
      passwords: token.passwords.map(passwordEntry),
    })),
    childSyncTokens: r.children.map((child) => ({
      registry: child.name,
      mode: child.mode,
      name: child.syncToken.name,
      status: child.syncToken.status,
      actions: child.syncScopeMap.actions,
      passwords: child.syncToken.passwords.map(passwordEntry),
    })),
  };
  const body = Buffer.from(JSON.stringify(config), 'utf8');
  bodies.set(config, body);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { config, etag };
}

// Each configuration's JSON, made once for its ETag and kept as long as the configuration is:
// thousands of polls woken by one change are answered with the same documents, never serialised
// again. Kept as bytes: the answer writes them as they are, and the garbage collector does not
// copy a Buffer's bytes as it copies a string of the heap.
const bodies = new WeakMap<object, Buffer>();

/** The configuration as JSON (UTF-8): the bytes its ETag was computed from. */
export function configBody(config: GatewayConfig): Buffer {
  return bodies.get(config) ?? Buffer.from(JSON.stringify(config), 'utf8');
}

/** Where a registry's configuration is remembered (lib/db/last-known.ts). */
export const configKey = (registryId: string) => `config:${registryId}`;

/**
 * The configuration: the one built last (by a read or a rebuild of the waiting polls), until a
 * change to the cloud registry is announced, and in a database outage (lib/db/last-known.ts).
 */
export function currentConfig(cloud: ConfigCloud, registry: { id: string; name: string }) {
  return currentKnown(cloud.name, configKey(registry.id), () => buildConfig(cloud, registry.id), registry.name.toLowerCase());
}

export type GatewayConfig = Awaited<ReturnType<typeof buildConfig>>['config'];

/**
 * For an edge that only has its connection string: which cloud registry a connection string's parent endpoint belongs
 * to (the cloud registry's data endpoint, or a connected registry's login server), checked with
 * the sync token's credentials.
 */
export async function whoami(headers: Headers, parentEndpoint: string, name: string) {
  const ep = parentEndpoint.toLowerCase();
  const clouds = await getDb().cloudRegistry.findMany({
    where: { OR: [{ dataEndpoint: ep }, { loginServer: ep }, { connectedRegistries: { some: { loginServer: ep } } }] },
    select: { id: true, name: true, connectedRegistries: { where: { name: sameName(name) }, select: { name: true } } },
  });
  const candidates = clouds.filter((c) => c.connectedRegistries.length);
  // nothing there: a failed authentication like any other (a stranger learns nothing)
  if (!candidates.length) await authenticateSyncToken(headers, null);
  let lastError: unknown;
  for (const c of candidates) {
    try {
      await authenticateSyncToken(headers, c);
      return { registry: c.name, connectedRegistry: c.connectedRegistries[0].name };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

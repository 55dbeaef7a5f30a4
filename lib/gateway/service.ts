// The gateway: what an on-premises connected registry fetches (its configuration, with the
// client tokens it accepts and their password verifiers, so it can authenticate clients while
// offline), how it reports status, and the long poll that tells it about changes at once.
import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { getDb, transaction } from '@/lib/db/client';
import { lastKnown } from '@/lib/db/last-known';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { CONNECTION_STATES, durationSeconds, protocolFor } from '@/lib/registries/rules';
import { gatewayRegistriesOf, repositoriesOf } from '@/lib/registries/sync-scope';
import { type GatewayAction } from '@/lib/scope-maps/grammar';
import { authenticateSyncToken, requireGatewayAction, type GatewayCaller } from './auth';
import { sameName } from '@/lib/db/like';
import { createConfigPolls } from './config-polls';

export const MAX_WAIT_SECONDS = 60;
/**
 * Version of the configuration document. Fields are only ever added (an older edge ignores what
 * it does not know); a change that older edges would misread gets a new version.
 * 1: adds `schemaVersion`, `descendants` and `childSyncTokens`; later `syncRequest` (Sync now,
 *    lib/sync/report.ts), which older edges ignore.
 */
export const CONFIG_SCHEMA_VERSION = 1;

/**
 * Authenticates first, then looks the connected registry up: before authentication every
 * request is a 401 alike (an unknown cloud registry counts as a failed attempt), and a caller
 * whose scope map lacks the gateway action for that name learns nothing about whether it exists.
 */
export async function authorize(headers: Headers, registryName: string, name: string, actions: GatewayAction[], now = new Date()) {
  const db = getDb();
  // each read is remembered, so that in a database outage the config endpoint answers from memory
  const cloud = await lastKnown(registryName, 'cloud', () =>
    db.cloudRegistry.findFirst({
      where: { name: sameName(registryName) },
      select: { id: true, name: true, loginServer: true, dataEndpoint: true },
    }),
  );
  const caller = await authenticateSyncToken(headers, cloud, now);
  requireGatewayAction(caller, name, actions);
  const registry = await lastKnown(caller.cloudRegistryName, `registry:${name.toLowerCase()}`, () =>
    db.connectedRegistry.findFirst({
      where: { cloudRegistryId: caller.cloudRegistryId, name: sameName(name) },
      select: { id: true, name: true, activationStatus: true, instanceId: true, syncTokenId: true },
    }),
  );
  if (!cloud || !registry) throw new NotFoundError(`Connected registry "${name}"`);
  return { cloud, registry, caller };
}

const INSTANCE_HEADER = 'X-Connected-Registry-Instance';

/** The instance id a request presents; required of the registry's own sync token. */
export function instanceOf(headers: Headers, caller: GatewayCaller, registry: { name: string; syncTokenId: string }): string | null {
  const registryName = registry.name;
  const value = headers.get(INSTANCE_HEADER)?.trim() || null;
  if (value && value.length > 200) throw ValidationError.field(INSTANCE_HEADER, `${INSTANCE_HEADER} is at most 200 characters.`);
  if (!value && isOwnSyncToken(caller, registry)) {
    throw ValidationError.field(INSTANCE_HEADER, `Send the ${INSTANCE_HEADER} header: the id of this deployment of ${registryName}.`);
  }
  return value;
}

export function otherInstance(registryName: string, boundTo: string | null): ConflictError {
  return boundTo
    ? new ConflictError(
        `${registryName} is already active as another instance (${boundTo}). Deactivate it in Canopy before deploying it again.`,
        [],
        'already_active',
      )
    : new ConflictError(`${registryName} is not active: fetch its configuration first to activate it.`, [], 'not_active');
}

const passwordFields = { slot: true, verifier: true, createdAt: true, expiry: true } as const;

// salted SHA-256 verifiers: enough to check a password offline, never the password
function passwordEntry(p: { slot: string; verifier: string; createdAt: Date; expiry: Date | null }) {
  return { name: p.slot, verifier: p.verifier, creationTime: p.createdAt.toISOString(), expiry: p.expiry?.toISOString() ?? null };
}

// what a configuration is made of: one registry's row and the rows around it
const configSelect = {
  name: true,
  mode: true,
  loginServer: true,
  tls: true,
  syncSchedule: true,
  syncWindow: true,
  syncMessageTtl: true,
  logLevel: true,
  auditLogStatus: true,
  notifications: true,
  gcEnabled: true,
  gcSchedule: true,
  syncRequestId: true,
  syncRequestedAt: true,
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

type ConfigRow = Prisma.ConnectedRegistryGetPayload<{ select: typeof configSelect }>;
type ConfigCloud = { id: string; name: string; loginServer: string; dataEndpoint: string };

/** The configuration document; everything in it is part of its ETag. */
export async function buildConfig(cloud: ConfigCloud, registryId: string) {
  const r = await getDb().connectedRegistry.findUniqueOrThrow({ where: { id: registryId }, select: configSelect });
  return configOf(cloud, r);
}

/** The configurations of many registries of one cloud registry, in a few queries (registries gone are left out). */
export async function buildConfigs(
  cloud: ConfigCloud,
  registryIds: string[],
): Promise<Map<string, { config: GatewayConfig; etag: string }>> {
  const built = new Map<string, { config: GatewayConfig; etag: string }>();
  for (let from = 0; from < registryIds.length; from += CONFIG_BATCH) {
    const rows = await getDb().connectedRegistry.findMany({
      where: { id: { in: registryIds.slice(from, from + CONFIG_BATCH) }, cloudRegistryId: cloud.id },
      select: { id: true, ...configSelect },
    });
    for (const row of rows) built.set(row.id, configOf(cloud, row));
  }
  return built;
}
const CONFIG_BATCH = 500;

function configOf(cloud: ConfigCloud, r: ConfigRow) {
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
    repositories: repositoriesOf(r.syncScopeMap.actions),
    // every registry below it (its sync scope map carries their gateway actions): the edge relays their gateway requests
    descendants: gatewayRegistriesOf(r.syncScopeMap.actions).filter((n) => n !== r.name.toLowerCase()),
    syncSchedule: r.syncSchedule,
    syncWindow: r.syncWindow,
    syncMessageTtl: r.syncMessageTtl,
    logLevel: r.logLevel,
    auditLogStatus: r.auditLogStatus,
    notifications: r.notifications,
    garbageCollection: { enabled: r.gcEnabled, schedule: r.gcSchedule },
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
  const etag = `"${createHash('sha256').update(JSON.stringify(config)).digest('base64url').slice(0, 32)}"`;
  return { config, etag };
}

/** The configuration, remembered for a database outage (lib/db/last-known.ts). */
function currentConfig(cloud: { id: string; name: string; loginServer: string; dataEndpoint: string }, registryId: string) {
  return lastKnown(cloud.name, `config:${registryId}`, () => buildConfig(cloud, registryId));
}

export type GatewayConfig = Awaited<ReturnType<typeof buildConfig>>['config'];

/**
 * Activation: the first successful fetch of an Inactive registry makes it Active and binds the
 * instance id it presented; while Active, another instance id is refused until an admin
 * deactivates the registry — two deployments cannot share one identity. The switch is one
 * conditional UPDATE: of two simultaneous first fetches exactly one wins (the other waits for
 * the row lock, then finds the registry Active and bound to the winner).
 */
async function activate(
  cloud: { id: string; name: string },
  registry: { id: string; name: string; activationStatus: string; instanceId: string | null },
  instanceId: string,
) {
  if (registry.activationStatus === 'Active') {
    if (registry.instanceId === instanceId) return; // the common case costs no write
    if (registry.instanceId) throw otherInstance(registry.name, registry.instanceId);
  }
  await transaction(async (tx) => {
    const won = await tx.connectedRegistry.updateMany({
      where: { id: registry.id, activationStatus: 'Inactive' },
      data: { activationStatus: 'Active', instanceId, lastActivityTime: new Date(), activatedAt: new Date() },
    });
    if (won.count === 1) {
      await recordAudit(tx, 'system', {
        action: 'connectedRegistry.activate',
        targetType: 'connectedRegistry',
        targetName: registry.name,
        registry: cloud.name,
        details: { instanceId },
      });
      return;
    }
    // Active without a bound instance (activated before instance ids were required): bind this one
    const bound = await tx.connectedRegistry.updateMany({
      where: { id: registry.id, activationStatus: 'Active', instanceId: null },
      data: { instanceId },
    });
    if (bound.count === 1) return;
    const current = await tx.connectedRegistry.findUniqueOrThrow({ where: { id: registry.id }, select: { instanceId: true } });
    if (current.instanceId !== instanceId) throw otherInstance(registry.name, current.instanceId);
  });
}

export const configQuery = z.object({ wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0) });

export type ConfigResult = { status: 200; etag: string; config: GatewayConfig } | { status: 304; etag: string };

/** GET …/config: the configuration, or (with If-None-Match and ?wait) a long poll for a change. */
export async function fetchConfig(
  headers: Headers,
  registryName: string,
  name: string,
  opts: { wait: number; ifNoneMatch: string | null; signal?: AbortSignal },
): Promise<ConfigResult> {
  // The signal ends a long poll (304: nothing changed while it waited); a plain fetch caught by a
  // shutdown is a request in flight like any other, and gets its configuration.
  const polling = opts.wait > 0 && opts.ifNoneMatch !== null;
  const gone = (): ConfigResult => ({ status: 304, etag: opts.ifNoneMatch ?? '""' });
  if (polling && opts.signal?.aborted) return gone();
  const { cloud, registry, caller } = await authorize(headers, registryName, name, ['config/read']);
  const instanceId = instanceOf(headers, caller, registry);
  // only the registry itself activates (an ancestor reading its child's config does not)
  if (isOwnSyncToken(caller, registry)) await activate(cloud, registry, instanceId!);

  if (!polling) return { status: 200, ...(await currentConfig(cloud, registry.id)) };
  if (opts.signal?.aborted) return gone();
  // Registered before reading, so that a change between the read and the wait is not missed.
  const poll = configPolls.hold(cloud, registry.id, opts.ifNoneMatch!);
  try {
    const current = await currentConfig(cloud, registry.id);
    if (current.etag !== opts.ifNoneMatch) return { status: 200, ...current };
    // a client gone (or a server shutting down) ends the poll without another read
    const woken = await poll.wait(opts.wait * 1000, opts.signal);
    if (!woken || opts.signal?.aborted) return { status: 304, etag: current.etag };
    // the registry is gone: answered as a first read would be
    if (woken === 'recheck') return { status: 200, ...(await currentConfig(cloud, registry.id)) };
    return { status: 200, ...woken };
  } finally {
    poll.close();
  }
}

/**
 * The long polls held by this instance: one rebuild of the waited-for configurations per change
 * (lib/gateway/config-polls.ts). CANOPY_LOG_CONFIG_REBUILDS=1 logs each rebuild's figures.
 */
export const configPolls = createConfigPolls(buildConfigs, {
  onRebuild: (s) => {
    if (process.env.CANOPY_LOG_CONFIG_REBUILDS === '1') {
      console.log(
        `gateway: ${s.cloud} changed: ${s.built} configurations built for ${s.polls} polls, ${s.woken} woken, in ${s.ms.toFixed(0)} ms`,
      );
    }
  },
});

/** The registry's own sync token, found by id (an adopted sync token has any name). */
function isOwnSyncToken(caller: GatewayCaller, registry: { syncTokenId: string }) {
  return caller.tokenId === registry.syncTokenId;
}

/** How far ahead of Canopy's clock a reported time may be (the registry's clock may run a little fast). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const statusInput = z
  .object({
    connectionState: z.enum(CONNECTION_STATES),
    version: z.string().trim().max(100).optional(),
    lastSyncTime: z.iso
      .datetime({ offset: true })
      .refine((t) => Date.parse(t) <= Date.now() + MAX_CLOCK_SKEW_MS, 'lastSyncTime is in the future: check the registry’s clock.')
      .optional(),
    statusDetails: z
      .array(
        z.object({
          type: z.string().max(100),
          code: z.string().max(100),
          description: z.string().max(1000),
          timestamp: z.iso.datetime({ offset: true }).optional(),
        }),
      )
      .max(20)
      .optional(),
    /** when the state was observed: a report queued while offline arrives later than that */
    observedTime: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type StatusInput = z.infer<typeof statusInput>;

/**
 * POST …/status: the on-premises registry reports; this also sets its last activity time — to
 * the time the report was observed, for a report it queued while offline. A report older than
 * the registry's message TTL is refused, and one older than the last recorded activity changes
 * nothing (reports sent late never overwrite a newer state). The caller is authenticated before
 * the body is read (`readBody`), and a report from an instance other than the one the registry
 * is bound to is refused (409): only the active deployment speaks for the registry.
 */
export async function reportStatus(
  headers: Headers,
  registryName: string,
  name: string,
  readBody: () => Promise<StatusInput>,
  now = new Date(),
) {
  const { registry, caller } = await authorize(headers, registryName, name, ['config/write', 'message/write'], now);
  const instanceId = instanceOf(headers, caller, registry);
  const input = await readBody();
  let at = now;
  if (input.observedTime) {
    const observed = new Date(input.observedTime);
    if (observed < now) at = observed;
    const { syncMessageTtl } = await getDb().connectedRegistry.findUniqueOrThrow({
      where: { id: registry.id },
      select: { syncMessageTtl: true },
    });
    const ttl = durationSeconds(syncMessageTtl) ?? 0;
    if (now.getTime() - at.getTime() > ttl * 1000) {
      throw ValidationError.field(
        'observedTime',
        `The report was observed at ${input.observedTime}, longer ago than ${registry.name}'s message TTL (${syncMessageTtl}).`,
      );
    }
  }
  // an ancestor relaying for its child may leave the instance out; the registry itself may not
  const boundHere: Prisma.ConnectedRegistryWhereInput = instanceId
    ? { activationStatus: 'Active', OR: [{ instanceId }, { instanceId: null }] }
    : {};
  const notLate: Prisma.ConnectedRegistryWhereInput = input.observedTime
    ? { OR: [{ lastActivityTime: null }, { lastActivityTime: { lte: at } }] }
    : {};
  const { count } = await getDb().connectedRegistry.updateMany({
    where: { id: registry.id, AND: [boundHere, notLate] },
    data: {
      connectionState: input.connectionState,
      lastActivityTime: at,
      ...(input.version !== undefined ? { version: input.version } : {}),
      ...(input.lastSyncTime ? { lastSyncTime: new Date(input.lastSyncTime) } : {}),
      ...(input.statusDetails ? { statusDetails: input.statusDetails as Prisma.InputJsonValue } : {}),
    },
  });
  if (count === 0 && instanceId) {
    const current = await getDb().connectedRegistry.findUnique({
      where: { id: registry.id },
      select: { activationStatus: true, instanceId: true },
    });
    const bound = current?.activationStatus === 'Active' && (current.instanceId === null || current.instanceId === instanceId);
    if (!bound) throw otherInstance(registry.name, current?.activationStatus === 'Active' ? current.instanceId : null);
    // bound here, but a late report: it changes nothing
  }
}

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

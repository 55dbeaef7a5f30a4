// Connected registries: create, update, permissions, deactivate, delete, read. Every change
// runs in one transaction under the cloud registry's lock, together with the sync scope maps
// it touches and its audit event.
import { z } from 'zod';
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import { getDb, type Tx } from '@/lib/db/client';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { GATEWAY_ACTIONS, MAX_REPOSITORY_PERMISSIONS, gatewayAction, isReadOnlyActionSet, normalizeActions, parseAction } from '@/lib/scope-maps/grammar';
import { PASSWORD_SLOTS, type PasswordSlotName } from '@/lib/tokens/passwords';
import { connectionString, parentGateway, writePassword } from '@/lib/tokens/service';
import { resolveCloudRegistry, withCloudRegistry } from './cloud';
import { claimConnectedLoginServer, isLoginServerConflict, loginServerTaken, normalizeLoginServer, serviceName } from './login-servers';
import {
  CONTINUOUS_SCHEDULE,
  DEFAULT_GC_SCHEDULE,
  DEFAULT_MESSAGE_TTL,
  childModeError,
  effectiveConnectionState,
  type ConnectionStateName,
  syncScopeMapName,
  syncTokenName,
  syncWindowError,
  type FeatureStatus,
  type Mode,
} from './rules';
import type { CreateConnectedRegistryInput, ListConnectedRegistriesQuery, PermissionsInput, UpdateConnectedRegistryInput } from './schemas';
import { ancestorsOf, childrenIndex, descendantsOf, modeActionsFor, repositoriesOf, syncScopeActions, type HierarchyNode } from './sync-scope';
import { resolveAdoptedSyncToken } from './sync-token-adoption';
import { containsText } from '@/lib/db/like';

export type ConnectedRegistryDto = {
  name: string;
  registry: string;
  parent: string | null;
  mode: Mode;
  loginServer: string;
  /** TLS of its login server: Enabled (https) or Disabled (plain http) */
  tls: 'Enabled' | 'Disabled';
  /** `<cloud registry>/<connected registry>`: the service name Canopy's token service always accepts for it */
  serviceName: string;
  /**
   * false when its login server names no registry for the token service alone: shared with other
   * connected registries (use the service name), or a cloud registry's (left by a migration)
   */
  loginServerUnique: boolean;
  /** other connected registries on the same login server (at most 20 shown) */
  loginServerSharedWith: string[];
  /** true when a migration found it on a cloud registry's login server, which grants it nothing until changed */
  loginServerDetached: boolean;
  /** what it syncs with its parent: its own repositories and its descendants' */
  repositories: string[];
  /** the repositories added to this registry itself */
  ownRepositories: string[];
  clientTokens: string[];
  syncToken: string;
  syncScopeMap: string;
  /** the sync token existed before the registry (adopted at creation): deleting the registry leaves it */
  syncTokenAdopted: boolean;
  syncSchedule: string;
  syncWindow: string | null;
  syncMessageTtl: string;
  logLevel: string;
  auditLogStatus: 'Enabled' | 'Disabled';
  notifications: string[];
  garbageCollection: { enabled: boolean; schedule: string };
  activationStatus: 'Active' | 'Inactive';
  connectionState: 'Online' | 'Offline' | 'Syncing' | 'Unhealthy';
  lastActivityTime: string | null;
  lastSyncTime: string | null;
  version: string | null;
  statusDetails: unknown;
  disabled: boolean;
  childCount: number;
  createdAt: string;
  updatedAt: string;
};

const select = {
  id: true,
  name: true,
  mode: true,
  loginServer: true,
  tls: true,
  loginServerHolder: true,
  loginServerEntry: {
    select: {
      connectedRegistries: {
        select: { name: true, cloudRegistry: { select: { name: true } } },
        orderBy: [{ cloudRegistry: { name: 'asc' } }, { name: 'asc' }],
        take: 21,
      },
    },
  },
  repositories: true,
  syncTokenAdopted: true,
  syncSchedule: true,
  syncWindow: true,
  syncMessageTtl: true,
  logLevel: true,
  auditLogStatus: true,
  notifications: true,
  gcEnabled: true,
  gcSchedule: true,
  activationStatus: true,
  connectionState: true,
  lastActivityTime: true,
  lastSyncTime: true,
  version: true,
  statusDetails: true,
  createdAt: true,
  updatedAt: true,
  cloudRegistry: { select: { name: true } },
  parent: { select: { name: true } },
  syncToken: { select: { name: true, status: true } },
  syncScopeMap: { select: { name: true, actions: true } },
  clientTokens: { select: { token: { select: { name: true } } }, orderBy: { token: { name: 'asc' } } },
  _count: { select: { children: true } },
} as const satisfies Prisma.ConnectedRegistrySelect;

type Row = Prisma.ConnectedRegistryGetPayload<{ select: typeof select }>;

export function toConnectedRegistryDto(r: Row, now = Date.now()): ConnectedRegistryDto {
  return {
    name: r.name,
    registry: r.cloudRegistry.name,
    parent: r.parent?.name ?? null,
    mode: r.mode,
    loginServer: r.loginServer,
    tls: r.tls,
    serviceName: serviceName(r.cloudRegistry.name, r.name),
    ...loginServerSharing(r),
    repositories: repositoriesOf(r.syncScopeMap.actions),
    ownRepositories: [...r.repositories].sort(),
    clientTokens: r.clientTokens.map((c) => c.token.name),
    syncToken: r.syncToken.name,
    syncScopeMap: r.syncScopeMap.name,
    syncTokenAdopted: r.syncTokenAdopted,
    syncSchedule: r.syncSchedule,
    syncWindow: r.syncWindow,
    syncMessageTtl: r.syncMessageTtl,
    logLevel: r.logLevel,
    auditLogStatus: r.auditLogStatus,
    notifications: r.notifications,
    garbageCollection: { enabled: r.gcEnabled, schedule: r.gcSchedule },
    activationStatus: r.activationStatus,
    connectionState: effectiveConnectionState(r.connectionState, r.lastActivityTime, now),
    lastActivityTime: r.lastActivityTime?.toISOString() ?? null,
    lastSyncTime: r.lastSyncTime?.toISOString() ?? null,
    version: r.version,
    statusDetails: r.statusDetails ?? null,
    disabled: r.syncToken.status === 'disabled',
    childCount: r._count.children,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function loginServerSharing(r: Row) {
  const self = serviceName(r.cloudRegistry.name, r.name);
  const others = (r.loginServerEntry?.connectedRegistries ?? [])
    .map((c) => serviceName(c.cloudRegistry.name, c.name))
    .filter((n) => n !== self)
    .slice(0, 20);
  const detached = r.loginServerHolder === null;
  return { loginServerUnique: !detached && others.length === 0, loginServerSharedWith: others, loginServerDetached: detached };
}

export type Node = HierarchyNode & { syncScopeMapId: string; loginServer: string; tls: FeatureStatus; repositoryActions: string[] };

export async function loadHierarchy(tx: Tx, cloudRegistryId: string): Promise<Node[]> {
  return tx.connectedRegistry.findMany({
    where: { cloudRegistryId },
    select: { id: true, name: true, parentId: true, mode: true, repositories: true, repositoryActions: true, syncScopeMapId: true, loginServer: true, tls: true },
  });
}

/** Recomputes the sync scope maps of the given registries from the hierarchy. */
async function refreshSyncScopeMaps(tx: Tx, nodes: Node[], ids: Iterable<string>): Promise<void> {
  const index = childrenIndex(nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of new Set(ids)) {
    const node = byId.get(id);
    if (!node) continue;
    const actions = syncScopeActions(node, descendantsOf(nodes, id, index));
    assertWithinPermissionLimit(node.name, actions);
    await tx.scopeMap.update({ where: { id: node.syncScopeMapId }, data: { actions } });
  }
}

/** A sync scope map, like any scope map, holds at most 500 repository permissions. */
function assertWithinPermissionLimit(registryName: string, actions: string[]) {
  const permissions = actions.filter((a) => a.startsWith('repositories/')).length;
  if (permissions > MAX_REPOSITORY_PERMISSIONS) {
    throw new ConflictError(
      `The sync scope map of ${registryName} would hold ${permissions} repository permissions; a scope map holds at most ${MAX_REPOSITORY_PERMISSIONS}. Sync fewer repositories through it.`,
      [{ field: 'repositories', message: `At most ${MAX_REPOSITORY_PERMISSIONS} repository permissions per sync scope map.` }],
      'too_many_permissions',
    );
  }
}

/** Stores a registry's own repository actions, and the list of their repositories beside them. */
async function setOwnRepositoryActions(tx: Tx, node: Node, actions: string[]) {
  node.repositoryActions = normalizeActions(actions);
  node.repositories = repositoriesOf(node.repositoryActions);
  await tx.connectedRegistry.update({ where: { id: node.id }, data: { repositoryActions: node.repositoryActions, repositories: node.repositories } });
}

/**
 * Changes what a registry syncs: `add` goes to its own repository actions, and what `removes`
 * matches leaves it and every descendant (they sync through it); then its, its descendants' and
 * its ancestors' sync scope maps are recomputed. Returns the descendants that lost something.
 */
export async function changeRepositoryActions(
  tx: Tx,
  nodes: Node[],
  self: Node,
  change: { add: string[]; removes: (action: string) => boolean; field: string },
): Promise<string[]> {
  const descendants = descendantsOf(nodes, self.id);
  const next = [...self.repositoryActions.filter((a) => !change.removes(a)), ...change.add];
  if (repositoriesOf(next).length === 0 && descendants.length === 0) {
    throw new ConflictError(`${self.name} must sync at least one repository; add another before removing the last.`, [
      { field: change.field, message: 'A connected registry needs at least one repository.' },
    ]);
  }
  await setOwnRepositoryActions(tx, self, next);
  const touched: string[] = [];
  for (const d of descendants) {
    const kept = d.repositoryActions.filter((a) => !change.removes(a));
    if (kept.length !== d.repositoryActions.length) {
      touched.push(d.name);
      await setOwnRepositoryActions(tx, d, kept);
    }
  }
  await refreshSyncScopeMaps(tx, nodes, [self.id, ...descendants.map((d) => d.id), ...ancestorsOf(nodes, self.id).map((a) => a.id)]);
  return touched;
}

/** The repository an action is about (null for a gateway action or a malformed one). */
function repositoryOf(action: string): string | null {
  const parsed = parseAction(action);
  return 'error' in parsed || parsed.kind !== 'repository' ? null : parsed.repository;
}

function findByName<N extends { name: string }>(nodes: N[], name: string): N | undefined {
  const lower = name.toLowerCase();
  return nodes.find((n) => n.name.toLowerCase() === lower);
}

/** Resolves client token names; a ReadOnly registry only accepts tokens whose scope map only reads. */
async function resolveClientTokens(tx: Tx, cloudRegistryId: string, names: string[], mode: Mode, registryName: string) {
  if (!names.length) return [];
  const tokens = await tx.token.findMany({
    where: { cloudRegistryId, name: { in: names } },
    select: { id: true, name: true, syncRegistry: { select: { id: true } }, scopeMap: { select: { name: true, actions: true } } },
  });
  const missing = names.filter((n) => !tokens.some((t) => t.name === n));
  if (missing.length) {
    throw ValidationError.field('clientTokens', `No token named ${missing.join(', ')} exists in this cloud registry.`);
  }
  for (const t of tokens) {
    if (t.syncRegistry) {
      throw new ConflictError(`${t.name} is a sync token; a connected registry accepts client tokens only.`, [
        { field: 'clientTokens', message: `${t.name} is a sync token.` },
      ]);
    }
    if (mode === 'ReadOnly' && !isReadOnlyActionSet(t.scopeMap.actions)) {
      const message = `${registryName} is ReadOnly: client token ${t.name} cannot be accepted, because its scope map ${t.scopeMap.name} allows more than reading.`;
      throw new ConflictError(message, [{ field: 'clientTokens', message }], 'readonly_violation');
    }
  }
  return tokens;
}

async function loadRegistry(tx: Tx, cloudRegistryId: string, name: string) {
  const row = await tx.connectedRegistry.findFirst({
    where: { cloudRegistryId, name: { equals: name, mode: 'insensitive' } },
    select: { ...select, parentId: true, syncTokenId: true, syncScopeMapId: true, syncSchedule: true },
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return row;
}

async function readDto(tx: Tx, id: string) {
  return toConnectedRegistryDto(await tx.connectedRegistry.findUniqueOrThrow({ where: { id }, select }));
}

/** A registry's own sync token and scope map are named after it: refuse when a name is taken. */
async function assertSyncCredentialNamesFree(tx: Tx, cloud: { id: string; name: string }, registryName: string) {
  const tokenName = syncTokenName(registryName);
  const mapName = syncScopeMapName(registryName);
  const [tokenClash, mapClash] = await Promise.all([
    tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: { equals: tokenName, mode: 'insensitive' } }, select: { id: true } }),
    tx.scopeMap.findFirst({ where: { cloudRegistryId: cloud.id, name: { equals: mapName, mode: 'insensitive' } }, select: { id: true } }),
  ]);
  if (tokenClash || mapClash) {
    const what = tokenClash ? `a token named ${tokenName}` : `a scope map named ${mapName}`;
    throw new ConflictError(`${cloud.name} already has ${what}, which the new registry's sync credentials need.`, [
      { field: 'name', message: `Rename or delete ${what} first, or adopt an existing token as syncToken.` },
    ]);
  }
}

/**
 * What creation answers, once: the registry, and the connection string it is deployed with,
 * holding the sync-token password generated in the same transaction (so an admin goes from
 * "create" to "deploy" without a second step). Never cache it.
 */
export type CreatedConnectedRegistry = ConnectedRegistryDto & {
  connectionString: string;
  /** the slot generated for the connection string; null when none was (see `note`) */
  syncPassword: { name: PasswordSlotName; creationTime: string; expiry: string | null } | null;
  note: string | null;
};

export async function createConnectedRegistry(
  actor: Actor,
  registryName: string,
  input: CreateConnectedRegistryInput,
): Promise<CreatedConnectedRegistry> {
  const schedule = input.syncSchedule ?? CONTINUOUS_SCHEDULE;
  const windowError = syncWindowError(schedule, input.syncWindow);
  if (windowError) throw ValidationError.field('syncWindow', windowError);
  try {
    return await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
      const nodes = await loadHierarchy(tx, cloud.id);

      if (findByName(nodes, input.name)) {
        throw new ConflictError(`A connected registry named ${input.name} exists already in ${cloud.name}.`, [
          { field: 'name', message: 'This name is taken in this hierarchy.' },
        ]);
      }
      const parent = input.parent ? findByName(nodes, input.parent) : undefined;
      if (input.parent && !parent) {
        throw ValidationError.field('parent', `There is no connected registry named ${input.parent} in ${cloud.name}.`);
      }
      const modeError = childModeError(parent?.mode ?? null, input.mode);
      if (modeError) throw new ConflictError(modeError, [{ field: 'mode', message: modeError }], 'readonly_violation');
      const clientTokens = await resolveClientTokens(tx, cloud.id, input.clientTokens, input.mode, input.name);

      const adopted = input.syncToken
        ? await resolveAdoptedSyncToken(tx, cloud, input.syncToken, { name: input.name, mode: input.mode, clientTokens: input.clientTokens })
        : null;
      if (!adopted) await assertSyncCredentialNamesFree(tx, cloud, input.name);

      const repositoryActions = adopted ? adopted.repositoryActions : modeActionsFor([...new Set(input.repositories ?? [])], input.mode);
      const repositories = repositoriesOf(repositoryActions);
      const self: HierarchyNode = { id: 'new', name: input.name, parentId: parent?.id ?? null, mode: input.mode, repositories, repositoryActions };
      const syncActions = syncScopeActions(self, []);
      assertWithinPermissionLimit(input.name, syncActions);
      const scopeMap = adopted
        ? await tx.scopeMap.update({ where: { id: adopted.scopeMap.id }, data: { actions: syncActions }, select: { id: true } })
        : await tx.scopeMap.create({
            data: { cloudRegistryId: cloud.id, name: syncScopeMapName(input.name), description: `Sync scope map of connected registry ${input.name}`, actions: syncActions },
            select: { id: true },
          });
      const token = adopted ?? (await tx.token.create({ data: { cloudRegistryId: cloud.id, name: syncTokenName(input.name), scopeMapId: scopeMap.id }, select: { id: true } }));
      await claimConnectedLoginServer(tx, input.loginServer);
      const created = await tx.connectedRegistry.create({
        data: {
          cloudRegistryId: cloud.id,
          parentId: parent?.id ?? null,
          name: input.name,
          mode: input.mode,
          loginServer: normalizeLoginServer(input.loginServer),
          tls: input.tls ?? 'Enabled',
          repositories,
          repositoryActions,
          syncSchedule: schedule,
          syncWindow: input.syncWindow ?? null,
          syncMessageTtl: input.syncMessageTtl ?? DEFAULT_MESSAGE_TTL,
          logLevel: input.logLevel ?? 'Information',
          auditLogStatus: input.auditLogStatus ?? 'Disabled',
          notifications: [...new Set(input.notifications)],
          gcEnabled: input.garbageCollection?.enabled ?? true,
          gcSchedule: input.garbageCollection?.schedule ?? DEFAULT_GC_SCHEDULE,
          syncTokenId: token.id,
          syncScopeMapId: scopeMap.id,
          syncTokenAdopted: adopted !== null,
          clientTokens: { create: clientTokens.map((t) => ({ tokenId: t.id })) },
        },
        select: { id: true },
      });
      const all = [...nodes, { ...self, id: created.id, syncScopeMapId: scopeMap.id, loginServer: input.loginServer, tls: input.tls ?? 'Enabled', repositoryActions }];
      await refreshSyncScopeMaps(tx, all, ancestorsOf(all, created.id).map((n) => n.id));
      // an adopted token keeps the passwords it has: only an empty slot is filled
      const emptySlot = adopted ? PASSWORD_SLOTS.find((slot) => !adopted.filledSlots.includes(slot)) : 'password1';
      const password = emptySlot ? await writePassword(tx, token.id, emptySlot, null) : null;
      const dto = await readDto(tx, created.id);
      const gatewayActionsAdded = adopted ? syncActions.filter((a) => !adopted.scopeMap.actions.includes(a)) : [];
      await recordAudit(tx, actor, {
        action: 'connectedRegistry.create',
        targetType: 'connectedRegistry',
        targetName: dto.name,
        registry: cloud.name,
        details: {
          parent: dto.parent,
          mode: dto.mode,
          loginServer: dto.loginServer,
          tls: dto.tls,
          repositories,
          clientTokens: dto.clientTokens,
          syncToken: dto.syncToken,
          syncPasswordGenerated: password?.name ?? null,
          auditLogStatus: dto.auditLogStatus,
          garbageCollection: dto.garbageCollection,
          ...(adopted ? { syncTokenAdopted: true, syncScopeMap: dto.syncScopeMap, gatewayActionsAdded } : {}),
        },
      });
      if (adopted) {
        await recordAudit(tx, actor, {
          action: 'scopeMap.update',
          targetType: 'scopeMap',
          targetName: adopted.scopeMap.name,
          registry: cloud.name,
          details: { added: gatewayActionsAdded, removed: [], reason: `${adopted.name} became the sync token of connected registry ${dto.name}` },
        });
      }
      const gateway = parentGateway(cloud, parent ?? null, input.parentProtocol);
      return {
        ...dto,
        connectionString: connectionString({ registryName: dto.name, syncTokenName: dto.syncToken, password: password?.value ?? null, ...gateway }),
        syncPassword: password && { name: password.name, creationTime: password.creationTime, expiry: password.expiry },
        note: password
          ? null
          : `Both password slots of ${dto.syncToken} hold a password, so none was generated (that would cut off whoever uses them). ` +
            `To deploy ${dto.name}, generate one: POST /api/v1/registries/${cloud.name}/connected-registries/${dto.name}/settings with {"generatePassword": "password1"} ` +
            `(or "password2"; it replaces that slot), or Rotate sync credentials on its page in the portal.`,
      };
    });
  } catch (error) {
    if (isLoginServerConflict(error)) throw await loginServerTaken(input.loginServer, false);
    if (isUniqueViolation(error)) {
      throw new ConflictError(`A connected registry named ${input.name} exists already in ${registryName}.`, [
        { field: 'name', message: 'This name is taken in this hierarchy.' },
      ]);
    }
    throw error;
  }
}

export async function getConnectedRegistry(registryName: string, name: string): Promise<ConnectedRegistryDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.connectedRegistry.findFirst({ where: { cloudRegistryId: cloud.id, name: { equals: name, mode: 'insensitive' } }, select });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return toConnectedRegistryDto(row);
}

const listCursor = z.object({ name: z.string() });

export async function listConnectedRegistries(registryName: string, query: ListConnectedRegistriesQuery): Promise<Page<ConnectedRegistryDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const cursor = decodeCursor(listCursor, query.cursor);
  const where: Prisma.ConnectedRegistryWhereInput = { cloudRegistryId: cloud.id };
  if (query.parent) {
    const parent = await db.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: { equals: query.parent, mode: 'insensitive' } },
      select: { id: true },
    });
    if (!parent) throw new NotFoundError(`Connected registry "${query.parent}"`);
    if (query.children === 'direct') where.parentId = parent.id;
    else where.id = { in: await descendantIds(parent.id) };
  } else if (query.children === 'direct') {
    where.parentId = null;
  }
  if (query.q) where.name = containsText(query.q);
  if (query.mode) where.mode = query.mode;
  if (query.connectionState) {
    const cutoff = new Date(Date.now() - 3 * 60 * 1000);
    where.AND =
      query.connectionState === 'Offline'
        ? [{ OR: [{ lastActivityTime: null }, { lastActivityTime: { lt: cutoff } }, { connectionState: 'Offline' }] }]
        : [{ connectionState: query.connectionState, lastActivityTime: { gte: cutoff } }];
  }
  if (cursor) where.AND = [...((where.AND as Prisma.ConnectedRegistryWhereInput[]) ?? []), { name: { gt: cursor.name } }];
  // children are counted for this page alone: the select's `_count` makes Prisma group the whole
  // table (10,000 registries at fleet scale) for every page
  const { _count: _, ...listSelect } = select;
  const rows = await db.connectedRegistry.findMany({ where, orderBy: { name: 'asc' }, take: query.limit + 1, select: listSelect });
  const page = toPage(rows, query.limit, (r) => ({ name: r.name }), (r) => r);
  const children = await db.connectedRegistry.groupBy({ by: ['parentId'], where: { parentId: { in: page.items.map((r) => r.id) } }, _count: { _all: true } });
  const childCount = new Map(children.map((c) => [c.parentId, c._count._all]));
  const now = Date.now();
  return { items: page.items.map((r) => toConnectedRegistryDto({ ...r, _count: { children: childCount.get(r.id) ?? 0 } }, now)), next: page.next };
}

/** Ids of every registry below `id`, with one recursive query. */
async function descendantIds(id: string): Promise<string[]> {
  const rows = await getDb().$queryRaw<{ id: string }[]>`
    WITH RECURSIVE sub AS (
      SELECT "id" FROM "ConnectedRegistry" WHERE "parentId" = ${id}::uuid
      UNION ALL
      SELECT c."id" FROM "ConnectedRegistry" c JOIN sub ON c."parentId" = sub."id"
    ) SELECT "id"::text AS id FROM sub`;
  return rows.map((r) => r.id);
}

export async function updateConnectedRegistry(
  actor: Actor,
  registryName: string,
  name: string,
  input: UpdateConnectedRegistryInput,
): Promise<ConnectedRegistryDto> {
  try {
    return await updateInTransaction(actor, registryName, name, input);
  } catch (error) {
    if (input.loginServer && isLoginServerConflict(error)) throw await loginServerTaken(input.loginServer, false);
    throw error;
  }
}

function updateInTransaction(actor: Actor, registryName: string, name: string, input: UpdateConnectedRegistryInput) {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadRegistry(tx, cloud.id, name);
    const before = toConnectedRegistryDto(current);

    const schedule = input.syncSchedule ?? current.syncSchedule;
    const syncWindow = input.syncWindow !== undefined ? input.syncWindow : current.syncWindow;
    const windowError = syncWindowError(schedule, syncWindow);
    if (windowError) throw ValidationError.field('syncWindow', windowError);

    if (input.loginServer) await claimConnectedLoginServer(tx, input.loginServer);
    const toAdd = (input.addClientTokens ?? []).filter((t) => !before.clientTokens.includes(t));
    const added = await resolveClientTokens(tx, cloud.id, toAdd, current.mode, current.name);
    if (added.length) await tx.connectedRegistryClientToken.createMany({ data: added.map((t) => ({ connectedRegistryId: current.id, tokenId: t.id })) });
    if (input.removeClientTokens?.length) {
      await tx.connectedRegistryClientToken.deleteMany({
        where: { connectedRegistryId: current.id, token: { name: { in: input.removeClientTokens } } },
      });
    }
    let notifications = current.notifications;
    if (input.addNotifications || input.removeNotifications) {
      notifications = [...new Set([...notifications, ...(input.addNotifications ?? [])])].filter(
        (n) => !(input.removeNotifications ?? []).includes(n),
      );
    }
    await tx.connectedRegistry.update({
      where: { id: current.id },
      data: {
        syncSchedule: schedule,
        syncWindow: syncWindow ?? null,
        ...(input.syncMessageTtl ? { syncMessageTtl: input.syncMessageTtl } : {}),
        ...(input.logLevel ? { logLevel: input.logLevel } : {}),
        // giving a login server again also re-attaches a registry a migration detached
        ...(input.loginServer ? { loginServer: normalizeLoginServer(input.loginServer), loginServerHolder: 'connected' as const } : {}),
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.auditLogStatus ? { auditLogStatus: input.auditLogStatus } : {}),
        ...(input.garbageCollection?.enabled !== undefined ? { gcEnabled: input.garbageCollection.enabled } : {}),
        ...(input.garbageCollection?.schedule ? { gcSchedule: input.garbageCollection.schedule } : {}),
        notifications,
      },
    });
    const after = await readDto(tx, current.id);
    const changed = Object.fromEntries(
      (
        [
          'clientTokens',
          'syncSchedule',
          'syncWindow',
          'syncMessageTtl',
          'logLevel',
          'auditLogStatus',
          'notifications',
          'loginServer',
          'tls',
          'garbageCollection',
        ] as const
      )
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, { before: before[k], after: after[k] }]),
    );
    await recordAudit(tx, actor, {
      action: 'connectedRegistry.update',
      targetType: 'connectedRegistry',
      targetName: after.name,
      registry: cloud.name,
      details: changed as Prisma.InputJsonValue,
    });
    return after;
  });
}

/**
 * Adds repositories to a registry (its ancestors then sync them too, through their derived
 * scope maps) and removes repositories from it and from all its descendants.
 */
export async function updatePermissions(actor: Actor, registryName: string, name: string, input: PermissionsInput): Promise<ConnectedRegistryDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadRegistry(tx, cloud.id, name);
    const nodes = await loadHierarchy(tx, cloud.id);
    const self = nodes.find((n) => n.id === current.id)!;
    const remove = new Set(input.remove);
    const touchedDescendants = await changeRepositoryActions(tx, nodes, self, {
      add: modeActionsFor(input.add, self.mode),
      removes: (action) => remove.has(repositoryOf(action) ?? ''),
      field: 'remove',
    });
    const dto = await readDto(tx, current.id);
    await recordAudit(tx, actor, {
      action: 'connectedRegistry.permissions',
      targetType: 'connectedRegistry',
      targetName: dto.name,
      registry: cloud.name,
      details: { add: input.add, remove: input.remove, alsoRemovedFrom: touchedDescendants },
    });
    return dto;
  });
}

export async function deactivateConnectedRegistry(actor: Actor, registryName: string, name: string): Promise<ConnectedRegistryDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadRegistry(tx, cloud.id, name);
    await tx.connectedRegistry.update({ where: { id: current.id }, data: { activationStatus: 'Inactive', instanceId: null } });
    await recordAudit(tx, actor, {
      action: 'connectedRegistry.deactivate',
      targetType: 'connectedRegistry',
      targetName: current.name,
      registry: cloud.name,
      details: { before: current.activationStatus },
    });
    return readDto(tx, current.id);
  });
}

/** What deleting would remove, for the confirmation dialog. */
export async function deletionPreview(registryName: string, name: string) {
  const dto = await getConnectedRegistry(registryName, name);
  return {
    name: dto.name,
    childCount: dto.childCount,
    syncToken: dto.syncToken,
    syncScopeMap: dto.syncScopeMap,
    syncTokenAdopted: dto.syncTokenAdopted,
    repositories: dto.ownRepositories,
  };
}

export async function deleteConnectedRegistry(actor: Actor, registryName: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadRegistry(tx, cloud.id, name);
    if (current._count.children > 0) {
      throw new ConflictError(
        `${current.name} still has ${current._count.children} connected ${current._count.children === 1 ? 'registry' : 'registries'} under it; delete ${current._count.children === 1 ? 'it' : 'them'} first.`,
      );
    }
    const nodes = await loadHierarchy(tx, cloud.id);
    const ancestors = ancestorsOf(nodes, current.id);
    await tx.connectedRegistry.delete({ where: { id: current.id } });
    // An adopted sync token was the admin's before: it stays, with its scope map, and loses
    // only what creation added, the registry's gateway actions.
    const ownGateway = new Set(GATEWAY_ACTIONS.map((a) => gatewayAction(current.name, a)));
    const removedGatewayActions = current.syncScopeMap.actions.filter((a) => ownGateway.has(a));
    if (current.syncTokenAdopted) {
      await tx.scopeMap.update({ where: { id: current.syncScopeMapId }, data: { actions: current.syncScopeMap.actions.filter((a) => !ownGateway.has(a)) } });
    } else {
      await tx.token.delete({ where: { id: current.syncTokenId } });
      await tx.scopeMap.delete({ where: { id: current.syncScopeMapId } });
    }
    await refreshSyncScopeMaps(
      tx,
      nodes.filter((n) => n.id !== current.id),
      ancestors.map((a) => a.id),
    );
    await recordAudit(tx, actor, {
      action: 'connectedRegistry.delete',
      targetType: 'connectedRegistry',
      targetName: current.name,
      registry: cloud.name,
      details: {
        parent: current.parent?.name ?? null,
        ...(current.syncTokenAdopted
          ? { keptSyncToken: current.syncToken.name, keptSyncScopeMap: current.syncScopeMap.name, removedGatewayActions }
          : { deletedSyncToken: current.syncToken.name, deletedSyncScopeMap: current.syncScopeMap.name }),
        repositories: current.repositories,
        ancestorsUpdated: ancestors.map((a) => a.name),
      },
    });
  });
}

export async function listClientTokens(registryName: string, name: string) {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.connectedRegistry.findFirst({
    where: { cloudRegistryId: cloud.id, name: { equals: name, mode: 'insensitive' } },
    select: {
      clientTokens: {
        orderBy: { token: { name: 'asc' } },
        select: { token: { select: { name: true, status: true, createdAt: true, scopeMap: { select: { name: true } } } } },
      },
    },
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return row.clientTokens.map(({ token }) => ({
    name: token.name,
    status: token.status,
    scopeMap: token.scopeMap.name,
    createdAt: token.createdAt.toISOString(),
  }));
}

/**
 * One connected registry in the hierarchy document. Only what the tree draws, and the usual
 * values left out (`mode` only when `ReadOnly`, `activationStatus` only when `Inactive`,
 * `disabled` only when true), so that 10,000 registries stay well under 1 MB.
 */
export type HierarchyDocumentNode = {
  name: string;
  /** null: directly under the cloud registry */
  parent: string | null;
  connectionState: 'Online' | 'Offline' | 'Syncing' | 'Unhealthy';
  mode?: 'ReadOnly';
  activationStatus?: 'Inactive';
  disabled?: true;
};

export type HierarchyTree = {
  registry: { name: string; loginServer: string; dataEndpoint: string };
  nodes: HierarchyDocumentNode[];
};

/** The whole hierarchy of a cloud registry, small rows for the tree (one query). */
export async function hierarchyTree(registryName: string): Promise<HierarchyTree> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  // One join, and the rows come back as one JSON text of arrays: Prisma's relation loading
  // would send every sync token id back as a parameter list, and decoding 10,000 rows one
  // column at a time takes it seconds where JSON.parse takes milliseconds.
  type Row = [name: string, parent: string | null, mode: Mode, state: ConnectionStateName, lastActivityMs: number | null, activation: 'Active' | 'Inactive', tokenStatus: 'enabled' | 'disabled'];
  const [{ rows: text }] = await db.$queryRaw<{ rows: string | null }[]>`
    SELECT json_agg(json_build_array(c."name", p."name", c."mode", c."connectionState",
                    (extract(epoch FROM c."lastActivityTime") * 1000)::bigint, c."activationStatus", t."status")
                    ORDER BY c."name")::text AS "rows"
      FROM "ConnectedRegistry" c
      JOIN "Token" t ON t."id" = c."syncTokenId"
      LEFT JOIN "ConnectedRegistry" p ON p."id" = c."parentId"
     WHERE c."cloudRegistryId" = ${cloud.id}::uuid`;
  const rows = JSON.parse(text ?? '[]') as Row[];
  const now = Date.now();
  return {
    registry: { name: cloud.name, loginServer: cloud.loginServer, dataEndpoint: cloud.dataEndpoint },
    nodes: rows.map(([name, parent, mode, state, lastActivityMs, activation, tokenStatus]) => {
      const node: HierarchyDocumentNode = {
        name,
        parent,
        connectionState: effectiveConnectionState(state, lastActivityMs === null ? null : new Date(lastActivityMs), now),
      };
      if (mode === 'ReadOnly') node.mode = 'ReadOnly';
      if (activation === 'Inactive') node.activationStatus = 'Inactive';
      if (tokenStatus === 'disabled') node.disabled = true;
      return node;
    }),
  };
}


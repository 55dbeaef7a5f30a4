// Reads of connected registries: the DTO the API and the portal show, one registry, a page of
// them, their client tokens, and the whole hierarchy as the tree draws it.
import 'server-only';
import { sortPlan, sortedPage, COUNT_CAP, type SortKeys, type SortedPage } from '@/lib/api/keyset';
import { getDb, type Tx } from '@/lib/db/client';
import { containsText, sameName } from '@/lib/db/like';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resolveCloudRegistry } from './cloud-queries';
import { serviceName } from './login-servers';
import { effectiveConnectionState, offlineCutoff, type ConnectionStateName } from './rules';
import type { ClientTokenDto, ConnectedRegistryDto, HierarchyDocumentNode, HierarchyTree, ListConnectedRegistriesQuery } from './schemas';
import { listDetails } from './list-details';
import { repositoriesOf } from './sync-scope';
import { syncSettingsOf, syncSettingsSelect } from './sync-settings';

/** A connected registry's own columns, which the list reads with Prisma (the rest: list-details.ts). */
const connectedRegistryColumns = {
  id: true,
  name: true,
  mode: true,
  loginServer: true,
  tls: true,
  loginServerHolder: true,
  repositories: true,
  syncTokenAdopted: true,
  ...syncSettingsSelect,
  activationStatus: true,
  connectionState: true,
  lastActivityTime: true,
  lastSyncTime: true,
  version: true,
  statusDetails: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.ConnectedRegistrySelect;

export const connectedRegistrySelect = {
  ...connectedRegistryColumns,
  loginServerEntry: {
    select: {
      connectedRegistries: {
        select: { name: true, cloudRegistry: { select: { name: true } } },
        orderBy: [{ cloudRegistry: { name: 'asc' } }, { name: 'asc' }],
        take: 21,
      },
    },
  },
  cloudRegistry: { select: { name: true } },
  parent: { select: { name: true } },
  syncToken: { select: { name: true, status: true } },
  syncScopeMap: { select: { name: true, actions: true } },
  clientTokens: { select: { token: { select: { name: true } } }, orderBy: { token: { name: 'asc' } } },
  _count: { select: { children: true } },
} as const satisfies Prisma.ConnectedRegistrySelect;

type Row = Prisma.ConnectedRegistryGetPayload<{ select: typeof connectedRegistrySelect }>;

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
    ...syncSettingsOf(r),
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

/** One registry of a cloud registry (by name, any case) with what its use cases need, or 404. */
export async function loadConnectedRegistry(tx: Tx, cloudRegistryId: string, name: string) {
  const row = await tx.connectedRegistry.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: { ...connectedRegistrySelect, parentId: true, syncTokenId: true, syncScopeMapId: true, syncSchedule: true },
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return row;
}

export async function readConnectedRegistryDto(tx: Tx, id: string) {
  return toConnectedRegistryDto(await tx.connectedRegistry.findUniqueOrThrow({ where: { id }, select: connectedRegistrySelect }));
}

export async function getConnectedRegistry(registryName: string, name: string): Promise<ConnectedRegistryDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.connectedRegistry.findFirst({
    where: { cloudRegistryId: cloud.id, name: sameName(name) },
    select: connectedRegistrySelect,
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return toConnectedRegistryDto(row);
}

/** The connected-registries list's sorts, each on an index (cloudRegistryId, key, name). */
export const CONNECTED_REGISTRY_SORTS: SortKeys = {
  name: { field: 'name', type: 'text', order: 'asc' },
  created: { field: 'createdAt', type: 'date', order: 'desc' },
  lastActivity: { field: 'lastActivityTime', type: 'date', nullable: true, order: 'desc' },
};

export async function listConnectedRegistries(
  registryName: string,
  query: ListConnectedRegistriesQuery,
): Promise<SortedPage<ConnectedRegistryDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const plan = sortPlan(CONNECTED_REGISTRY_SORTS, query);
  const where: Prisma.ConnectedRegistryWhereInput = { cloudRegistryId: cloud.id };
  if (query.parent) {
    const parent = await db.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: sameName(query.parent) },
      select: { id: true },
    });
    if (!parent) throw new NotFoundError(`Connected registry "${query.parent}"`);
    // the whole subtree: one lookup in the ancestors' index (the database keeps ancestorIds right)
    if (query.children === 'direct') where.parentId = parent.id;
    else where.ancestorIds = { has: parent.id };
  } else if (query.children === 'direct') {
    where.parentId = null;
  }
  if (query.q) where.name = containsText(query.q);
  if (query.mode) where.mode = query.mode;
  if (query.connectionState) {
    const cutoff = offlineCutoff();
    where.AND =
      query.connectionState === 'Offline'
        ? [{ OR: [{ lastActivityTime: null }, { lastActivityTime: { lt: cutoff } }, { connectionState: 'Offline' }] }]
        : [{ connectionState: query.connectionState, lastActivityTime: { gte: cutoff } }];
  }
  // The page's own columns with Prisma, the rest of what it shows in one query (list-details.ts)
  const [rows, count] = await Promise.all([
    db.connectedRegistry.findMany({
      where: plan.where ? { AND: [where, plan.where as Prisma.ConnectedRegistryWhereInput] } : where,
      orderBy: plan.orderBy as Prisma.ConnectedRegistryOrderByWithRelationInput[],
      take: query.limit + 1,
      select: connectedRegistryColumns,
    }),
    db.connectedRegistry.count({ where, take: COUNT_CAP + 1 }),
  ]);
  const page = sortedPage(plan, rows, query.limit, count, (r) => r);
  const details = await listDetails(
    db,
    page.items.map((r) => r.id),
  );
  const now = Date.now();
  return {
    ...page,
    items: page.items.map((r) => {
      const d = details.get(r.id)!;
      return toConnectedRegistryDto(
        {
          ...r,
          cloudRegistry: { name: cloud.name },
          parent: d.parent === null ? null : { name: d.parent },
          syncToken: { name: d.syncTokenName, status: d.syncTokenStatus },
          syncScopeMap: { name: d.syncScopeMapName, actions: d.repositoryActions },
          clientTokens: d.clientTokens.map((name) => ({ token: { name } })),
          loginServerEntry: d.sharing && {
            connectedRegistries: d.sharing.map(([registry, name]) => ({ name, cloudRegistry: { name: registry } })),
          },
          _count: { children: d.childCount },
        },
        now,
      );
    }),
  };
}

/**
 * The names of a cloud registry's connected registries, by name, when there are at most `max`
 * (the list's parent picker); null when there are more, where a picker of names no longer helps.
 */
export async function connectedRegistryNames(registryName: string, max: number): Promise<string[] | null> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const rows = await db.connectedRegistry.findMany({
    where: { cloudRegistryId: cloud.id },
    orderBy: { name: 'asc' },
    take: max + 1,
    select: { name: true },
  });
  return rows.length > max ? null : rows.map((r) => r.name);
}

export async function listClientTokens(registryName: string, name: string): Promise<ClientTokenDto[]> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.connectedRegistry.findFirst({
    where: { cloudRegistryId: cloud.id, name: sameName(name) },
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
// The flags column of the hierarchy query (a bit each)
const READ_ONLY = 1;
const INACTIVE = 2;
const DISABLED = 4;
const SYNC_FAILED = 8;

/** The whole hierarchy of a cloud registry, small rows for the tree (one query), sorted by name. */
export async function hierarchyTree(registryName: string): Promise<HierarchyTree> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  // One join, and the rows come back as one text, a line per registry of tab-separated fields
  // (names are letters and digits): Prisma decodes 10,000 rows one column at a time in seconds,
  // and PostgreSQL builds this text in about a quarter of the time it takes to build the same
  // rows as JSON sorted by name (measured with 10,000 registries). The order is made here.
  const [{ rows: text }] = await db.$queryRaw<{ rows: string | null }[]>`
    SELECT string_agg(c."name" || E'\t' || coalesce(p."name", '') || E'\t' || c."connectionState"::text || E'\t'
             || coalesce((extract(epoch FROM c."lastActivityTime") * 1000)::bigint::text, '') || E'\t'
             || ((c."mode" = 'ReadOnly')::int * ${READ_ONLY} + (c."activationStatus" = 'Inactive')::int * ${INACTIVE}
                 + (t."status" = 'disabled')::int * ${DISABLED} + coalesce(c."lastSyncRunStatus" = 'Failed' OR c."lastGcRunStatus" = 'Failed', false)::int * ${SYNC_FAILED}),
           E'\n') AS "rows"
      FROM "ConnectedRegistry" c
      JOIN "Token" t ON t."id" = c."syncTokenId"
      LEFT JOIN "ConnectedRegistry" p ON p."id" = c."parentId"
     WHERE c."cloudRegistryId" = ${cloud.id}::uuid`;
  const now = Date.now();
  const nodes = text ? text.split('\n').map((line) => hierarchyNode(line, now)) : [];
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { registry: { name: cloud.name, loginServer: cloud.loginServer, dataEndpoint: cloud.dataEndpoint }, nodes };
}

function hierarchyNode(line: string, now: number): HierarchyDocumentNode {
  const [name, parent, state, lastActivityMs, flagText] = line.split('\t');
  const flags = Number(flagText);
  const node: HierarchyDocumentNode = {
    name,
    parent: parent || null,
    connectionState: effectiveConnectionState(state as ConnectionStateName, lastActivityMs ? new Date(Number(lastActivityMs)) : null, now),
  };
  if (flags & READ_ONLY) node.mode = 'ReadOnly';
  if (flags & INACTIVE) node.activationStatus = 'Inactive';
  if (!lastActivityMs) node.notDeployed = true;
  if (flags & DISABLED) node.disabled = true;
  if (flags & SYNC_FAILED) node.syncFailed = true;
  return node;
}

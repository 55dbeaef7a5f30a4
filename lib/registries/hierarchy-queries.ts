// The Hierarchy page's reads at fleet scale: the tree comes a level at a time (a page of one
// registry's children, each with its child count), a search by name runs here on the trigram
// index and brings the path to each match, and the page's first view is the top level plus the
// path down to a selected registry. Sorted by name, any case, as the tree shows them.
import 'server-only';
import { decodeCursor, encodeCursor } from '@/lib/api/pagination';
import { getDb } from '@/lib/db/client';
import { escapeLike } from '@/lib/db/like';
import { NotFoundError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client';
import { z } from 'zod';
import { resolveCloudRegistry } from './cloud-queries';
import {
  SEARCH_COUNT_CAP,
  type HierarchyChildrenQuery,
  type HierarchyLevel,
  type HierarchyLevelNode,
  type HierarchySearch,
  type HierarchySearchQuery,
} from './hierarchy-schemas';
import { effectiveConnectionState, type ConnectionStateName } from './rules';
import { registryStateCounts } from './state-counts';

type NodeRow = {
  name: string;
  parent: string | null;
  state: ConnectionStateName;
  lastActivity: Date | null;
  readOnly: boolean;
  inactive: boolean;
  disabled: boolean;
  syncFailed: boolean;
  childCount: number;
  matched?: boolean;
};

/** What the tree draws of a registry `c` (joined with its sync token `t` and its parent `p`). */
const nodeColumns = Prisma.sql`
  c."name", p."name" AS "parent", c."connectionState"::text AS "state", c."lastActivityTime" AS "lastActivity",
  c."mode" = 'ReadOnly' AS "readOnly", c."activationStatus" = 'Inactive' AS "inactive", t."status" = 'disabled' AS "disabled",
  coalesce(c."lastSyncRunStatus" = 'Failed' OR c."lastGcRunStatus" = 'Failed', false) AS "syncFailed",
  (SELECT count(*)::int FROM "ConnectedRegistry" k WHERE k."parentId" = c."id") AS "childCount"`;
const nodeJoins = Prisma.sql`
  JOIN "Token" t ON t."id" = c."syncTokenId"
  LEFT JOIN "ConnectedRegistry" p ON p."id" = c."parentId"`;

/** The document form: the usual values left out, as in `GET R/hierarchy`. */
function toLevelNode(r: NodeRow, now: number): HierarchyLevelNode {
  const node: HierarchyLevelNode = {
    name: r.name,
    parent: r.parent,
    connectionState: effectiveConnectionState(r.state, r.lastActivity, now),
    childCount: r.childCount,
  };
  if (r.readOnly) node.mode = 'ReadOnly';
  if (r.inactive) node.activationStatus = 'Inactive';
  if (!r.lastActivity) node.notDeployed = true;
  if (r.disabled) node.disabled = true;
  if (r.syncFailed) node.syncFailed = true;
  return node;
}

const byName = (a: { name: string }, b: { name: string }) => {
  const [x, y] = [a.name.toLowerCase(), b.name.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};

const levelCursor = z.object({ after: z.string().max(50) });

/** A connected registry of this cloud registry by name (any case), or 404. */
async function registryByName(cloudRegistryId: string, name: string) {
  const row = await getDb().connectedRegistry.findFirst({
    where: { cloudRegistryId, name: { in: [name], mode: 'insensitive' } },
    select: { id: true, name: true },
  });
  if (!row) throw new NotFoundError(`Connected registry "${name}"`);
  return row;
}

async function readLevel(
  cloudRegistryId: string,
  parent: { id: string; name: string } | null,
  limit: number,
  after: string | undefined,
  now: number,
): Promise<Omit<HierarchyLevel, 'counts'>> {
  const db = getDb();
  const under = parent ? Prisma.sql`c."parentId" = ${parent.id}::uuid` : Prisma.sql`c."parentId" IS NULL`;
  const [rows, [{ total }]] = await Promise.all([
    db.$queryRaw<NodeRow[]>`
      SELECT ${nodeColumns} FROM "ConnectedRegistry" c ${nodeJoins}
       WHERE c."cloudRegistryId" = ${cloudRegistryId}::uuid AND ${under}
         ${after === undefined ? Prisma.empty : Prisma.sql`AND lower(c."name") > lower(${after})`}
       ORDER BY lower(c."name") LIMIT ${limit + 1}`,
    db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS "total" FROM "ConnectedRegistry" c WHERE c."cloudRegistryId" = ${cloudRegistryId}::uuid AND ${under}`,
  ]);
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return {
    parent: parent?.name ?? null,
    total,
    items: kept.map((r) => toLevelNode(r, now)),
    next: more ? encodeCursor({ after: kept[kept.length - 1].name }) : null,
  };
}

/**
 * One level of a hierarchy: a page of the registries directly under `parent` (the cloud
 * registry when absent), by name, each with its child count. The top level also carries the
 * whole hierarchy's state counts, which the page shows above the tree.
 */
export async function hierarchyChildren(registryName: string, query: HierarchyChildrenQuery): Promise<HierarchyLevel> {
  const cloud = await resolveCloudRegistry(getDb(), registryName);
  const after = decodeCursor(levelCursor, query.cursor)?.after;
  const parent = query.parent ? await registryByName(cloud.id, query.parent) : null;
  const now = Date.now();
  if (parent) return readLevel(cloud.id, parent, query.limit, after, now);
  const [level, counts] = await Promise.all([
    readLevel(cloud.id, null, query.limit, after, now),
    registryStateCounts(new Date(now), cloud.id),
  ]);
  return { ...level, counts };
}

/**
 * Registries whose name contains `q` (any case; the trigram index answers it), the first
 * `limit` by name, with every registry on the path to them, and how many match (capped).
 */
export async function searchHierarchy(registryName: string, query: HierarchySearchQuery): Promise<HierarchySearch> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const text = query.q.trim().toLowerCase();
  const pattern = `%${escapeLike(text)}%`;
  const matching = Prisma.sql`m."cloudRegistryId" = ${cloud.id}::uuid AND m."name" ILIKE ${pattern}`;
  // Counted up to the cap only: a text most names contain ("e") stops after the first thousand
  // instead of testing every name of the fleet.
  const [{ counted }] = await db.$queryRaw<{ counted: number }[]>`
    SELECT count(*)::int AS "counted" FROM (SELECT 1 FROM "ConnectedRegistry" m WHERE ${matching} LIMIT ${SEARCH_COUNT_CAP}) x`;
  const total = Math.min(counted, SEARCH_COUNT_CAP);
  if (total === 0) return { query: text, total, totalCapped: false, matches: [], nodes: [] };
  // The first matches by name. A common text: the name index in order, stopping at the limit,
  // meets them within a few rows. A rarer one: all of them (the trigram index finds fewer than
  // the cap), sorted here (ordering by name and stopping at the limit walked thousands of index
  // entries for them).
  const matched =
    total >= SEARCH_COUNT_CAP
      ? Prisma.sql`SELECT m."id" FROM "ConnectedRegistry" m WHERE ${matching} ORDER BY lower(m."name") LIMIT ${query.limit}`
      : Prisma.sql`SELECT "id" FROM (SELECT m."id", lower(m."name") AS "key" FROM "ConnectedRegistry" m WHERE ${matching} OFFSET 0) hits
          ORDER BY "key" LIMIT ${query.limit}`;
  // then the path up from them, then their rows by id (`= ANY(ARRAY(…))`: the planner's estimate
  // of a recursive result is 10,000 rows, and it hashed the whole table to join them)
  const rows = await db.$queryRaw<NodeRow[]>`
    WITH RECURSIVE matched AS MATERIALIZED (${matched}), path AS (
      SELECT c."id", c."parentId" FROM "ConnectedRegistry" c WHERE c."id" = ANY(ARRAY(SELECT "id" FROM matched))
      UNION
      SELECT c."id", c."parentId" FROM path JOIN "ConnectedRegistry" c ON c."id" = path."parentId"
    )
    SELECT ${nodeColumns}, c."id" = ANY(ARRAY(SELECT "id" FROM matched)) AS "matched"
      FROM "ConnectedRegistry" c ${nodeJoins}
     WHERE c."id" = ANY(ARRAY(SELECT "id" FROM path))`;
  const now = Date.now();
  rows.sort(byName);
  return {
    query: text,
    total,
    totalCapped: total >= SEARCH_COUNT_CAP,
    matches: rows.filter((r) => r.matched).map((r) => r.name),
    nodes: rows.map((r) => toLevelNode(r, now)),
  };
}

/** The path from the top down to a registry (by name, any case): its ancestors, then itself; empty when unknown. */
function pathDownTo(cloudRegistryId: string, name: string) {
  return getDb().$queryRaw<{ id: string; name: string }[]>`
    WITH RECURSIVE up AS (
      SELECT c."id", c."name", c."parentId", 0 AS "depth" FROM "ConnectedRegistry" c
       WHERE c."cloudRegistryId" = ${cloudRegistryId}::uuid AND lower(c."name") = lower(${name})
      UNION ALL
      SELECT c."id", c."name", c."parentId", up."depth" + 1 FROM "ConnectedRegistry" c JOIN up ON c."id" = up."parentId"
    ) SELECT "id"::text AS "id", "name" FROM up ORDER BY "depth" DESC`;
}

/** Small hierarchies come whole and open fully; bigger ones open their first level only. */
export const OPEN_FULLY_UP_TO = 60;

export type HierarchyOpening = {
  /** the levels to show at first: the top level first (with the counts), then each one below it that is open */
  levels: HierarchyLevel[];
  /** the registry `?node=` names, spelled as stored ('' the cloud registry); null when none or unknown */
  selected: string | null;
  /** the whole hierarchy came (it is small): every level is open */
  complete: boolean;
};

/**
 * What the Hierarchy page shows first: a small hierarchy whole; a big one's top level, and the
 * levels down to the registry `?node=` names, so that it shows selected and in view.
 */
export async function hierarchyOpening(registryName: string, node: string | null, pageSize: number): Promise<HierarchyOpening> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const now = Date.now();
  // the counts decide whether the hierarchy comes whole; the top level and the path are read meanwhile
  const [counts, top, path] = await Promise.all([
    registryStateCounts(new Date(now), cloud.id),
    readLevel(cloud.id, null, pageSize, undefined, now),
    node ? pathDownTo(cloud.id, node) : Promise.resolve([]),
  ]);
  if (counts.total <= OPEN_FULLY_UP_TO) {
    const rows = await db.$queryRaw<NodeRow[]>`
      SELECT ${nodeColumns} FROM "ConnectedRegistry" c ${nodeJoins} WHERE c."cloudRegistryId" = ${cloud.id}::uuid`;
    rows.sort(byName);
    const levels = new Map<string | null, HierarchyLevelNode[]>([[null, []]]);
    for (const r of rows) {
      const list = levels.get(r.parent);
      if (list) list.push(toLevelNode(r, now));
      else levels.set(r.parent, [toLevelNode(r, now)]);
    }
    const selected = node === '' ? '' : node ? (rows.find((r) => r.name.toLowerCase() === node.toLowerCase())?.name ?? null) : null;
    return {
      levels: [...levels].map(([parent, items]) => ({ parent, total: items.length, items, next: null, ...(parent ? {} : { counts }) })),
      selected,
      complete: true,
    };
  }
  const below = await Promise.all(path.slice(0, -1).map((a) => readLevel(cloud.id, a, pageSize, undefined, now)));
  return {
    levels: [{ ...top, counts }, ...below],
    selected: node === '' ? '' : (path.at(-1)?.name ?? null),
    complete: false,
  };
}

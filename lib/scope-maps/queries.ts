// Reading scope maps (their changes live in service.ts).
import 'server-only';
import { sortPlan, sortedPage, COUNT_CAP, type SortKeys, type SortedPage } from '@/lib/api/keyset';
import { getDb, type Db, type Tx } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resolveCloudRegistry } from '@/lib/registries/cloud-queries';
import { containsText, sameName } from '@/lib/db/like';
import type { ListScopeMapsQuery, ScopeMapDto } from './schemas';

// No `_count` of tokens here: Prisma computes it by grouping the whole Token table (200,000
// rows at fleet scale) for every query. tokenCounts() counts only the scope maps at hand.
export const scopeMapSelect = {
  id: true,
  name: true,
  description: true,
  actions: true,
  system: true,
  createdAt: true,
  updatedAt: true,
  syncRegistry: { select: { name: true } },
} as const satisfies Prisma.ScopeMapSelect;

type ScopeMapRow = Prisma.ScopeMapGetPayload<{ select: typeof scopeMapSelect }>;

/**
 * How many tokens use each of these scope maps: exactly (one grouped query on the scopeMapId
 * index), or, with `cap`, up to `cap + 1` each — a list page must not count the 10,000 client
 * tokens of each of its maps (a page of client maps at fleet scale read 110,000 index entries).
 */
export async function tokenCounts(db: Db | Tx, scopeMapIds: string[], cap?: number): Promise<Map<string, number>> {
  if (scopeMapIds.length === 0) return new Map();
  if (cap !== undefined) {
    const rows = await db.$queryRaw<{ id: string; count: number }[]>`
      SELECT m."id"::text AS "id",
             (SELECT count(*) FROM (SELECT 1 FROM "Token" t WHERE t."scopeMapId" = m."id" LIMIT ${cap + 1}) x)::int AS "count"
        FROM unnest(${scopeMapIds}::uuid[]) AS m("id")`;
    return new Map(rows.map((r) => [r.id, r.count]));
  }
  const groups = await db.token.groupBy({ by: ['scopeMapId'], where: { scopeMapId: { in: scopeMapIds } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.scopeMapId, g._count._all]));
}

/** The DTOs of these rows, with their token counts (stopped at `cap` + 1 when given: shown as "1,000+"). */
export async function withTokenCounts(db: Db | Tx, rows: ScopeMapRow[], cap?: number): Promise<ScopeMapDto[]> {
  const counts = await tokenCounts(
    db,
    rows.map((r) => r.id),
    cap,
  );
  return rows.map((r) => {
    const count = counts.get(r.id) ?? 0;
    return toScopeMapDto(r, cap !== undefined && count > cap ? cap : count, cap !== undefined && count > cap);
  });
}

export function toScopeMapDto(r: ScopeMapRow, tokenCount: number, tokenCountCapped = false): ScopeMapDto {
  return {
    name: r.name,
    description: r.description,
    actions: r.actions,
    system: r.system,
    syncRegistry: r.syncRegistry?.name ?? null,
    tokenCount,
    tokenCountCapped,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The scope-maps list's sorts, each on an index (cloudRegistryId, key, name). */
export const SCOPE_MAP_SORTS: SortKeys = {
  name: { field: 'name', type: 'text', order: 'asc' },
  created: { field: 'createdAt', type: 'date', order: 'desc' },
};

export async function listScopeMaps(registryName: string, query: ListScopeMapsQuery): Promise<SortedPage<ScopeMapDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const plan = sortPlan(SCOPE_MAP_SORTS, query);
  const where: Prisma.ScopeMapWhereInput = {
    cloudRegistryId: cloud.id,
    // the stored kind (kept by the database's triggers) on its index, not an anti-join over every map
    ...(query.kind !== 'all' ? { kind: query.kind } : {}),
    ...(query.q ? { name: containsText(query.q) } : {}),
  };
  const [rows, count] = await Promise.all([
    db.scopeMap.findMany({
      where: plan.where ? { AND: [where, plan.where as Prisma.ScopeMapWhereInput] } : where,
      orderBy: plan.orderBy as Prisma.ScopeMapOrderByWithRelationInput[],
      take: query.limit + 1,
      select: scopeMapSelect,
    }),
    db.scopeMap.count({ where, take: COUNT_CAP + 1 }),
  ]);
  const page = sortedPage(plan, rows, query.limit, count, (r) => r);
  return { ...page, items: await withTokenCounts(db, page.items, COUNT_CAP) };
}

export async function getScopeMap(registryName: string, name: string): Promise<ScopeMapDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.scopeMap.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(name) }, select: scopeMapSelect });
  if (!row) throw new NotFoundError(`Scope map "${name}"`);
  return (await withTokenCounts(db, [row]))[0];
}

// Reading scope maps (their changes live in service.ts).
import { z } from 'zod';
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
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

/** How many tokens use each of these scope maps (one grouped query on the scopeMapId index). */
export async function tokenCounts(db: Db | Tx, scopeMapIds: string[]): Promise<Map<string, number>> {
  if (scopeMapIds.length === 0) return new Map();
  const groups = await db.token.groupBy({ by: ['scopeMapId'], where: { scopeMapId: { in: scopeMapIds } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.scopeMapId, g._count._all]));
}

/** The DTOs of these rows, with their token counts. */
export async function withTokenCounts(db: Db | Tx, rows: ScopeMapRow[]): Promise<ScopeMapDto[]> {
  const counts = await tokenCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toScopeMapDto(r, counts.get(r.id) ?? 0));
}

export function toScopeMapDto(r: ScopeMapRow, tokenCount: number): ScopeMapDto {
  return {
    name: r.name,
    description: r.description,
    actions: r.actions,
    system: r.system,
    syncRegistry: r.syncRegistry?.name ?? null,
    tokenCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const cursorSchema = z.object({ name: z.string() });

export async function listScopeMaps(registryName: string, query: ListScopeMapsQuery): Promise<Page<ScopeMapDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const cursor = decodeCursor(cursorSchema, query.cursor);
  const where: Prisma.ScopeMapWhereInput = {
    cloudRegistryId: cloud.id,
    ...(query.kind === 'system' ? { system: true } : {}),
    ...(query.kind === 'sync' ? { syncRegistry: { isNot: null } } : {}),
    ...(query.kind === 'user' ? { system: false, syncRegistry: { is: null } } : {}),
    ...(query.q ? { name: containsText(query.q) } : {}),
    ...(cursor ? { name: { gt: cursor.name, ...(query.q ? containsText(query.q) : {}) } } : {}),
  };
  const rows = await db.scopeMap.findMany({ where, orderBy: { name: 'asc' }, take: query.limit + 1, select: scopeMapSelect });
  const page = toPage(
    rows,
    query.limit,
    (r) => ({ name: r.name }),
    (r) => r,
  );
  return { items: await withTokenCounts(db, page.items), next: page.next };
}

export async function getScopeMap(registryName: string, name: string): Promise<ScopeMapDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.scopeMap.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(name) }, select: scopeMapSelect });
  if (!row) throw new NotFoundError(`Scope map "${name}"`);
  return (await withTokenCounts(db, [row]))[0];
}

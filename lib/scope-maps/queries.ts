// Reading scope maps (their changes live in service.ts).
import { z } from 'zod';
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
import { getDb } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resolveCloudRegistry } from '@/lib/registries/cloud';
import { containsText } from '@/lib/db/like';

export type ScopeMapDto = {
  name: string;
  description: string | null;
  actions: string[];
  /** the system scope maps cannot be edited or deleted */
  system: boolean;
  /** the connected registry whose sync scope map this is (managed by its permissions) */
  syncRegistry: string | null;
  tokenCount: number;
  createdAt: string;
  updatedAt: string;
};

export const scopeMapSelect = {
  name: true,
  description: true,
  actions: true,
  system: true,
  createdAt: true,
  updatedAt: true,
  syncRegistry: { select: { name: true } },
  _count: { select: { tokens: true } },
} as const satisfies Prisma.ScopeMapSelect;

export function toScopeMapDto(r: Prisma.ScopeMapGetPayload<{ select: typeof scopeMapSelect }>): ScopeMapDto {
  return {
    name: r.name,
    description: r.description,
    actions: r.actions,
    system: r.system,
    syncRegistry: r.syncRegistry?.name ?? null,
    tokenCount: r._count.tokens,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const listScopeMapsQuery = z.object({
  kind: z.enum(['all', 'system', 'sync', 'user']).default('all'),
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const cursorSchema = z.object({ name: z.string() });

export async function listScopeMaps(registryName: string, query: z.infer<typeof listScopeMapsQuery>): Promise<Page<ScopeMapDto>> {
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
  return toPage(rows, query.limit, (r) => ({ name: r.name }), toScopeMapDto);
}

export async function getScopeMap(registryName: string, name: string): Promise<ScopeMapDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.scopeMap.findFirst({ where: { cloudRegistryId: cloud.id, name }, select: scopeMapSelect });
  if (!row) throw new NotFoundError(`Scope map "${name}"`);
  return toScopeMapDto(row);
}

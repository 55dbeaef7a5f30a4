// Reading tokens. No password value or verifier ever leaves this module: only slot metadata.
import 'server-only';
import { sortPlan, sortedPage, COUNT_CAP, type SortKeys, type SortedPage } from '@/lib/api/keyset';
import { getDb } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resolveCloudRegistry } from '@/lib/registries/cloud-queries';
import { containsText, sameName } from '@/lib/db/like';
import { isReadOnlyActionSet } from '@/lib/scope-maps/grammar';
import type { ListTokensQuery, PasswordSlotDto, TokenDto } from './schemas';

export const EXPIRING_WITHIN_MS = 30 * 24 * 3600 * 1000;

export function slotState(expiry: Date | null, now = Date.now()): PasswordSlotDto['state'] {
  if (!expiry) return 'valid';
  if (expiry.getTime() <= now) return 'expired';
  return expiry.getTime() - now <= EXPIRING_WITHIN_MS ? 'expiring' : 'valid';
}

export const tokenSelect = {
  name: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  scopeMap: { select: { name: true, actions: true } },
  syncRegistry: { select: { name: true } },
  clientOf: { select: { connectedRegistry: { select: { name: true } } } },
  passwords: { select: { slot: true, createdAt: true, expiry: true, lastUsedAt: true }, orderBy: { slot: 'asc' } },
} as const satisfies Prisma.TokenSelect;

export function toTokenDto(r: Prisma.TokenGetPayload<{ select: typeof tokenSelect }>, now = Date.now()): TokenDto {
  return {
    name: r.name,
    scopeMap: r.scopeMap.name,
    readOnly: isReadOnlyActionSet(r.scopeMap.actions),
    status: r.status,
    kind: r.syncRegistry ? 'sync' : 'client',
    syncRegistry: r.syncRegistry?.name ?? null,
    acceptedBy: r.clientOf.map((c) => c.connectedRegistry.name).sort(),
    passwords: r.passwords.map((p) => ({
      name: p.slot,
      creationTime: p.createdAt.toISOString(),
      expiry: p.expiry?.toISOString() ?? null,
      lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      state: slotState(p.expiry, now),
    })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The tokens list's sorts, each on an index (cloudRegistryId, key, name). */
export const TOKEN_SORTS: SortKeys = {
  name: { field: 'name', type: 'text', order: 'asc' },
  created: { field: 'createdAt', type: 'date', order: 'desc' },
  lastUsed: { field: 'lastUsedAt', type: 'date', nullable: true, order: 'desc' },
  state: { field: 'status', type: 'enum', values: ['enabled', 'disabled'], order: 'asc' },
};

export async function listTokens(registryName: string, query: ListTokensQuery): Promise<SortedPage<TokenDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const plan = sortPlan(TOKEN_SORTS, query);
  const and: Prisma.TokenWhereInput[] = [{ cloudRegistryId: cloud.id }];
  if (query.kind === 'sync') and.push({ syncRegistry: { isNot: null } });
  if (query.kind === 'client') and.push({ syncRegistry: { is: null } });
  if (query.status) and.push({ status: query.status });
  if (query.expiring === 'true') and.push({ passwords: { some: { expiry: { lte: new Date(Date.now() + EXPIRING_WITHIN_MS) } } } });
  if (query.q) and.push({ name: containsText(query.q) });
  const [rows, count] = await Promise.all([
    db.token.findMany({
      where: { AND: plan.where ? [...and, plan.where as Prisma.TokenWhereInput] : and },
      orderBy: plan.orderBy as Prisma.TokenOrderByWithRelationInput[],
      take: query.limit + 1,
      select: { ...tokenSelect, lastUsedAt: true },
    }),
    db.token.count({ where: { AND: and }, take: COUNT_CAP + 1 }),
  ]);
  const now = Date.now();
  return sortedPage(plan, rows, query.limit, count, (r) => toTokenDto(r, now));
}

export async function getToken(registryName: string, name: string): Promise<TokenDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const row = await db.token.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(name) }, select: tokenSelect });
  if (!row) throw new NotFoundError(`Token "${name}"`);
  return toTokenDto(row);
}

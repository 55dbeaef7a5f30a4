// Reads of cloud registries, and the lookup every use case of a cloud registry starts with.
import 'server-only';
import { z } from 'zod';
import { decodeCursor, toPage, type Page, type PageQuery } from '@/lib/api/pagination';
import { getDb, type Tx } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import { sameName } from '@/lib/db/like';
import type { CloudRegistryDto } from './schemas';

export const cloudRegistrySelect = {
  id: true,
  name: true,
  loginServer: true,
  region: true,
  dataEndpoint: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { connectedRegistries: true } },
} as const;

type Row = {
  name: string;
  loginServer: string;
  region: string;
  dataEndpoint: string;
  createdAt: Date;
  updatedAt: Date;
  _count: { connectedRegistries: number };
};

export function toCloudRegistryDto(r: Row): CloudRegistryDto {
  return {
    name: r.name,
    loginServer: r.loginServer,
    region: r.region,
    dataEndpoint: r.dataEndpoint,
    connectedRegistryCount: r._count.connectedRegistries,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The cloud registry's id, or 404. */
export async function resolveCloudRegistry(tx: Tx | ReturnType<typeof getDb>, name: string) {
  const row = await tx.cloudRegistry.findFirst({
    where: { name: sameName(name) },
    select: { id: true, name: true, loginServer: true, dataEndpoint: true },
  });
  if (!row) throw new NotFoundError(`Cloud registry "${name}"`);
  return row;
}

export type ResolvedCloudRegistry = Awaited<ReturnType<typeof resolveCloudRegistry>>;

const cursorSchema = z.object({ name: z.string() });

export async function listCloudRegistries(query: PageQuery): Promise<Page<CloudRegistryDto>> {
  const cursor = decodeCursor(cursorSchema, query.cursor);
  const rows = await getDb().cloudRegistry.findMany({
    where: cursor ? { name: { gt: cursor.name } } : {},
    orderBy: { name: 'asc' },
    take: query.limit + 1,
    select: cloudRegistrySelect,
  });
  return toPage(rows, query.limit, (r) => ({ name: r.name }), toCloudRegistryDto);
}

export async function getCloudRegistry(name: string): Promise<CloudRegistryDto> {
  const row = await getDb().cloudRegistry.findFirst({ where: { name: sameName(name) }, select: cloudRegistrySelect });
  if (!row) throw new NotFoundError(`Cloud registry "${name}"`);
  return toCloudRegistryDto(row);
}

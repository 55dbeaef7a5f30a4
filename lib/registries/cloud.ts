// Cloud registries: the roots of hierarchies. Tokens and scope maps belong to them.
import { decodeCursor, toPage, type Page, type PageQuery } from '@/lib/api/pagination';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { getDb, transaction, type Tx } from '@/lib/db/client';
import { lockCloudRegistry } from '@/lib/db/locks';
import { ConflictError, NotFoundError, isUniqueViolation } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { z } from 'zod';
import { claimCloudLoginServer, isLoginServerConflict, loginServerTaken, normalizeLoginServer, releaseCloudLoginServer } from './login-servers';
import { defaultDataEndpoint } from './rules';
import type { CreateCloudRegistryInput } from './schemas';
import { updateCloudRegistryInput } from './schemas';

export const SYSTEM_SCOPE_MAPS: { name: string; description: string; actions: string[] }[] = [
  {
    name: '_repositories_admin',
    description: 'Read, write and delete every repository',
    actions: ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].map((a) => `repositories/*/${a}`),
  },
  {
    name: '_repositories_pull',
    description: 'Pull from every repository',
    actions: ['content/read', 'metadata/read'].map((a) => `repositories/*/${a}`),
  },
  {
    name: '_repositories_push',
    description: 'Pull from and push to every repository',
    actions: ['content/read', 'content/write', 'metadata/read'].map((a) => `repositories/*/${a}`),
  },
];

export type CloudRegistryDto = {
  name: string;
  loginServer: string;
  region: string;
  dataEndpoint: string;
  connectedRegistryCount: number;
  createdAt: string;
  updatedAt: string;
};

const select = {
  id: true,
  name: true,
  loginServer: true,
  region: true,
  dataEndpoint: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { connectedRegistries: true } },
} as const;

type Row = { name: string; loginServer: string; region: string; dataEndpoint: string; createdAt: Date; updatedAt: Date; _count: { connectedRegistries: number } };

function toDto(r: Row): CloudRegistryDto {
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

async function conflictFor(error: unknown, input: { name?: string; loginServer?: string }): Promise<never> {
  // a racing registry took the login server between the check and the write
  if (input.loginServer && isLoginServerConflict(error)) throw await loginServerTaken(input.loginServer, true);
  if (isUniqueViolation(error)) {
    // Prisma's own engine names the columns in meta.target; with a driver adapter (Prisma 7,
    // @prisma/adapter-pg) only the constraint is known, e.g. "CloudRegistry_loginServer_key".
    const meta = (error as { meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: unknown } } } }).meta;
    const target = JSON.stringify([meta?.target ?? null, meta?.driverAdapterError?.cause?.constraint ?? null]);
    const field = target.includes('loginServer') ? 'loginServer' : 'name';
    const value = field === 'name' ? input.name : input.loginServer;
    throw new ConflictError(`A cloud registry with ${field === 'name' ? 'the name' : 'the login server'} ${value} exists already.`, [
      { field, message: 'This is taken.' },
    ]);
  }
  throw error;
}

/** The cloud registry's id, or 404. */
export async function resolveCloudRegistry(tx: Tx | ReturnType<typeof getDb>, name: string) {
  const row = await tx.cloudRegistry.findFirst({
    where: { name: { equals: name, mode: 'insensitive' } },
    select: { id: true, name: true, loginServer: true, dataEndpoint: true },
  });
  if (!row) throw new NotFoundError(`Cloud registry "${name}"`);
  return row;
}

export type ResolvedCloudRegistry = Awaited<ReturnType<typeof resolveCloudRegistry>>;

/**
 * The opening of every use case that changes something of one cloud registry: the actor's role
 * (the one place it is checked), one transaction, the registry (404 when missing) and its lock,
 * under which every read-then-write rule runs. `lock: false` for changes that need no
 * serialising with the hierarchy (queueing a webhook delivery).
 */
export async function withCloudRegistry<T>(
  actor: Actor,
  role: AdminRole,
  name: string,
  fn: (tx: Tx, cloud: ResolvedCloudRegistry) => Promise<T>,
  options: { lock?: boolean } = {},
): Promise<T> {
  requireRole(actor, role);
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, name);
    if (options.lock ?? true) await lockCloudRegistry(tx, cloud.id);
    return fn(tx, cloud);
  });
}

export async function createCloudRegistry(actor: Actor, input: CreateCloudRegistryInput): Promise<CloudRegistryDto> {
  requireRole(actor, 'Contributor');
  try {
    return await transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:cloud-registries'))`;
      const clash = await tx.cloudRegistry.findFirst({ where: { name: { equals: input.name, mode: 'insensitive' } }, select: { id: true } });
      if (clash) await conflictFor({ code: 'P2002', meta: { target: 'name' } }, input);
      await claimCloudLoginServer(tx, input.loginServer);
      const row = await tx.cloudRegistry.create({
        data: {
          name: input.name,
          loginServer: normalizeLoginServer(input.loginServer),
          region: input.region,
          dataEndpoint: input.dataEndpoint ?? defaultDataEndpoint(input.loginServer, input.region),
          scopeMaps: { create: SYSTEM_SCOPE_MAPS.map((m) => ({ ...m, system: true })) },
        },
        select,
      });
      await recordAudit(tx, actor, {
        action: 'cloudRegistry.create',
        targetType: 'cloudRegistry',
        targetName: row.name,
        registry: row.name,
        details: { loginServer: row.loginServer, region: row.region, dataEndpoint: row.dataEndpoint },
      });
      return toDto(row);
    });
  } catch (error) {
    return conflictFor(error, input);
  }
}

const cursorSchema = z.object({ name: z.string() });

export async function listCloudRegistries(query: PageQuery): Promise<Page<CloudRegistryDto>> {
  const cursor = decodeCursor(cursorSchema, query.cursor);
  const rows = await getDb().cloudRegistry.findMany({
    where: cursor ? { name: { gt: cursor.name } } : {},
    orderBy: { name: 'asc' },
    take: query.limit + 1,
    select,
  });
  return toPage(rows, query.limit, (r) => ({ name: r.name }), toDto);
}

export async function getCloudRegistry(name: string): Promise<CloudRegistryDto> {
  const row = await getDb().cloudRegistry.findFirst({ where: { name: { equals: name, mode: 'insensitive' } }, select });
  if (!row) throw new NotFoundError(`Cloud registry "${name}"`);
  return toDto(row);
}

export async function updateCloudRegistry(actor: Actor, name: string, input: z.infer<typeof updateCloudRegistryInput>): Promise<CloudRegistryDto> {
  try {
    return await withCloudRegistry(actor, 'Contributor', name, async (tx, current) => {
      const before = await tx.cloudRegistry.findUniqueOrThrow({ where: { id: current.id }, select });
      const moving = input.loginServer !== undefined && normalizeLoginServer(input.loginServer) !== before.loginServer;
      if (moving) await claimCloudLoginServer(tx, input.loginServer!, current.name);
      const data = input.loginServer === undefined ? input : { ...input, loginServer: normalizeLoginServer(input.loginServer) };
      const row = await tx.cloudRegistry.update({ where: { id: current.id }, data, select });
      if (moving) await releaseCloudLoginServer(tx, before.loginServer);
      await recordAudit(tx, actor, {
        action: 'cloudRegistry.update',
        targetType: 'cloudRegistry',
        targetName: row.name,
        registry: row.name,
        details: {
          before: { loginServer: before.loginServer, region: before.region, dataEndpoint: before.dataEndpoint },
          after: { loginServer: row.loginServer, region: row.region, dataEndpoint: row.dataEndpoint },
        },
      });
      return toDto(row);
    });
  } catch (error) {
    return conflictFor(error, { loginServer: input.loginServer });
  }
}

export async function deleteCloudRegistry(actor: Actor, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', name, async (tx, current) => {
    const connected = await tx.connectedRegistry.count({ where: { cloudRegistryId: current.id } });
    if (connected > 0) {
      throw new ConflictError(
        `${current.name} still has ${connected} connected ${connected === 1 ? 'registry' : 'registries'}; delete them first.`,
      );
    }
    // tokens reference scope maps: delete tokens first, then the scope maps, then the registry
    const tokens = await tx.token.deleteMany({ where: { cloudRegistryId: current.id } });
    const scopeMaps = await tx.scopeMap.deleteMany({ where: { cloudRegistryId: current.id } });
    await tx.cloudRegistry.delete({ where: { id: current.id } });
    await releaseCloudLoginServer(tx, current.loginServer);
    await recordAudit(tx, actor, {
      action: 'cloudRegistry.delete',
      targetType: 'cloudRegistry',
      targetName: current.name,
      registry: current.name,
      details: { deletedTokens: tokens.count, deletedScopeMaps: scopeMaps.count },
    });
  });
}

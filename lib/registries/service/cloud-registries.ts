// Cloud registries: the roots of hierarchies; tokens and scope maps belong to them. Create (with
// the system scope maps), change, delete (once it has no connected registries).
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { transaction } from '@/lib/db/client';
import { ConflictError, isUniqueViolation } from '@/lib/errors';
import { cloudRegistrySelect, toCloudRegistryDto } from '../cloud-queries';
import type { CloudRegistryDto } from '../schemas';
import {
  claimCloudLoginServer,
  isLoginServerConflict,
  loginServerTaken,
  normalizeLoginServer,
  releaseCloudLoginServer,
} from '../login-servers';
import { defaultDataEndpoint } from '../rules';
import type { CreateCloudRegistryInput, UpdateCloudRegistryInput } from '../schemas';
import { withCloudRegistry } from './with-cloud-registry';
import { sameName } from '@/lib/db/like';

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

export async function createCloudRegistry(actor: Actor, input: CreateCloudRegistryInput): Promise<CloudRegistryDto> {
  requireRole(actor, 'Contributor');
  try {
    return await transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:cloud-registries'))`;
      const clash = await tx.cloudRegistry.findFirst({ where: { name: sameName(input.name) }, select: { id: true } });
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
        select: cloudRegistrySelect,
      });
      await recordAudit(tx, actor, {
        action: 'cloudRegistry.create',
        targetType: 'cloudRegistry',
        targetName: row.name,
        registry: row.name,
        details: { loginServer: row.loginServer, region: row.region, dataEndpoint: row.dataEndpoint },
      });
      return toCloudRegistryDto(row);
    });
  } catch (error) {
    return conflictFor(error, input);
  }
}

export async function updateCloudRegistry(actor: Actor, name: string, input: UpdateCloudRegistryInput): Promise<CloudRegistryDto> {
  try {
    return await withCloudRegistry(actor, 'Contributor', name, async (tx, current) => {
      const before = await tx.cloudRegistry.findUniqueOrThrow({ where: { id: current.id }, select: cloudRegistrySelect });
      const moving = input.loginServer !== undefined && normalizeLoginServer(input.loginServer) !== before.loginServer;
      if (moving) await claimCloudLoginServer(tx, input.loginServer!, current.name);
      const data = input.loginServer === undefined ? input : { ...input, loginServer: normalizeLoginServer(input.loginServer) };
      const row = await tx.cloudRegistry.update({ where: { id: current.id }, data, select: cloudRegistrySelect });
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
      return toCloudRegistryDto(row);
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

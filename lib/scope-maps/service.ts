// Scope maps: create, change and delete. A change applies at once to every token that uses
// the map (tokens reference the map; nothing is copied), and is refused when it would give a
// ReadOnly registry's client token anything but read actions.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import type { Tx } from '@/lib/db/client';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { isReadOnlyActionSet, normalizeActions, validateActions } from './grammar';
import { scopeMapSelect, withTokenCounts } from './queries';
import type { CreateScopeMapInput, ScopeMapDto, UpdateScopeMapInput } from './schemas';
import { sameName } from '@/lib/db/like';

/** Refuses actions that a ReadOnly registry accepting one of the map's tokens could not allow. */
export async function assertReadOnlyRegistriesAllow(tx: Tx, scopeMapId: string, actions: string[], what: string) {
  if (isReadOnlyActionSet(actions)) return;
  const registry = await tx.connectedRegistry.findFirst({
    where: { mode: 'ReadOnly', clientTokens: { some: { token: { scopeMapId } } } },
    select: { name: true, clientTokens: { where: { token: { scopeMapId } }, select: { token: { select: { name: true } } }, take: 1 } },
    orderBy: { name: 'asc' },
  });
  if (registry) {
    const token = registry.clientTokens[0]?.token.name;
    throw new ConflictError(
      `${what} would give client token ${token} of ReadOnly registry ${registry.name} more than read actions; ReadOnly registries accept read-only tokens only.`,
      [],
      'readonly_violation',
    );
  }
}

async function loadEditable(tx: Tx, cloudRegistryId: string, name: string, { allowSync = false } = {}) {
  const row = await tx.scopeMap.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: { id: true, name: true, actions: true, description: true, system: true, syncRegistry: { select: { name: true } } },
  });
  if (!row) throw new NotFoundError(`Scope map "${name}"`);
  if (row.system) throw new ConflictError(`${row.name} is a system scope map: it cannot be edited or deleted.`, [], 'system_scope_map');
  if (row.syncRegistry && !allowSync) {
    throw new ConflictError(
      `${row.name} is the sync scope map of ${row.syncRegistry.name}: it goes when that registry is deleted.`,
      [],
      'sync_scope_map',
    );
  }
  return row;
}

/** Refuses a scope-map name that is taken (case aside), saying who holds it. */
async function assertScopeMapNameFree(tx: Tx, cloud: { id: string; name: string }, name: string, field: string) {
  const clash = await tx.scopeMap.findFirst({
    where: { cloudRegistryId: cloud.id, name: sameName(name) },
    select: {
      name: true,
      system: true,
      syncRegistry: { select: { name: true } },
      tokens: { select: { name: true }, orderBy: { name: 'asc' }, take: 3 },
    },
  });
  if (!clash) return;
  const holder = clash.system
    ? 'it is a system scope map'
    : clash.syncRegistry
      ? `it is the sync scope map of connected registry ${clash.syncRegistry.name}`
      : clash.tokens.length
        ? `token ${clash.tokens.map((t) => t.name).join(', ')} ${clash.tokens.length === 1 ? 'uses' : 'use'} it`
        : 'no token uses it';
  throw new ConflictError(`A scope map named ${clash.name} exists already in ${cloud.name}: ${holder}.`, [
    { field, message: `This name is taken: ${holder}.` },
  ]);
}

/**
 * Creates a scope map inside the caller's transaction, with the cloud registry locked, and
 * audits it: the one way a scope map comes to be, alone or together with the token that uses it.
 */
export async function insertScopeMap(
  tx: Tx,
  actor: Actor,
  cloud: { id: string; name: string },
  input: CreateScopeMapInput,
  opts: { field?: string; forToken?: string } = {},
) {
  await assertScopeMapNameFree(tx, cloud, input.name, opts.field ?? 'name');
  const row = await tx.scopeMap.create({
    data: { cloudRegistryId: cloud.id, name: input.name, description: input.description || null, actions: normalizeActions(input.actions) },
    select: scopeMapSelect,
  });
  await recordAudit(tx, actor, {
    action: 'scopeMap.create',
    targetType: 'scopeMap',
    targetName: row.name,
    registry: cloud.name,
    details: { actions: row.actions, description: row.description, ...(opts.forToken ? { forToken: opts.forToken } : {}) },
  });
  return row;
}

export async function createScopeMap(actor: Actor, registryName: string, input: CreateScopeMapInput): Promise<ScopeMapDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    return (await withTokenCounts(tx, [await insertScopeMap(tx, actor, cloud, input)]))[0];
  });
}

export async function updateScopeMap(actor: Actor, registryName: string, name: string, input: UpdateScopeMapInput): Promise<ScopeMapDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadEditable(tx, cloud.id, name, { allowSync: true });
    if (current.syncRegistry) {
      // what a registry syncs: its own rules. Imported when needed: the registries' modules import
      // the token service, which imports this module (a static import would be a cycle).
      const { updateSyncScopeMap } = await import('@/lib/registries/service/update-sync-scope-map');
      await updateSyncScopeMap(tx, actor, cloud, current, current.syncRegistry.name, input);
      return (await withTokenCounts(tx, [await tx.scopeMap.findUniqueOrThrow({ where: { id: current.id }, select: scopeMapSelect })]))[0];
    }
    const remove = new Set(input.removeActions ?? []);
    const actions = normalizeActions([...current.actions, ...(input.addActions ?? [])].filter((a) => !remove.has(a)));
    if (actions.length === 0) throw ValidationError.field('removeActions', 'A scope map needs at least one action; delete it instead.');
    const problems = validateActions(actions);
    if (problems.length) throw ValidationError.field('addActions', problems[0]);
    await assertReadOnlyRegistriesAllow(tx, current.id, actions, `This change to ${current.name}`);
    const row = await tx.scopeMap.update({
      where: { id: current.id },
      data: { actions, ...(input.description !== undefined ? { description: input.description || null } : {}) },
      select: scopeMapSelect,
    });
    await audit('scopeMap.update', row.name, {
      added: actions.filter((a) => !current.actions.includes(a)),
      removed: current.actions.filter((a) => !actions.includes(a)),
      ...(input.description !== undefined ? { description: { before: current.description, after: row.description } } : {}),
    });
    return (await withTokenCounts(tx, [row]))[0];
  });
}

export async function deleteScopeMap(actor: Actor, registryName: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadEditable(tx, cloud.id, name);
    const users = await tx.token.findMany({ where: { scopeMapId: current.id }, select: { name: true }, take: 5, orderBy: { name: 'asc' } });
    if (users.length) {
      throw new ConflictError(
        `${current.name} is used by ${users.map((t) => t.name).join(', ')}; give those tokens another scope map first.`,
        [],
        'in_use',
      );
    }
    await tx.scopeMap.delete({ where: { id: current.id } });
    await audit('scopeMap.delete', current.name, { actions: current.actions });
  });
}

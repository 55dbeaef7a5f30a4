// Editing a connected registry's sync scope map (PATCH R/scope-maps/{its sync map}): repository
// actions change what the registry syncs, exactly as POST CR/permissions does — added to it (and
// so to its ancestors' maps), removed from it and from every descendant. Gateway actions stay
// derived from the hierarchy: its own cannot go (it could no longer fetch its configuration), nor
// its descendants' (they sync through it), and none can be added for registries outside its subtree.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { recordAudit } from '@/lib/audit/record';
import type { Tx } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { isReadOnlyActionSet, normalizeActions, parseAction } from '@/lib/scope-maps/grammar';
import { changeRepositoryActions, loadHierarchy } from './hierarchy';
import { ancestorsOf, descendantsOf } from '../sync-scope';

export type SyncScopeMapChange = { addActions?: string[]; removeActions?: string[]; description?: string | null };

export async function updateSyncScopeMap(
  tx: Tx,
  actor: Actor,
  cloud: { id: string; name: string },
  map: { id: string; name: string; actions: string[]; description: string | null },
  registryName: string,
  input: SyncScopeMapChange,
): Promise<void> {
  const nodes = await loadHierarchy(tx, cloud.id);
  const self = nodes.find((n) => n.syncScopeMapId === map.id)!;
  const descendants = descendantsOf(nodes, self.id);
  const subtree = new Map([self, ...descendants].map((n) => [n.name.toLowerCase(), n]));

  const addRepository: string[] = [];
  for (const action of input.addActions ?? []) {
    const parsed = parseAction(action);
    if ('error' in parsed) continue; // the schema refused it already
    if (parsed.kind === 'gateway') {
      // a registry in its subtree is carried already; anything else would let its sync token
      // read another registry's configuration (and its clients' password verifiers)
      if (!subtree.has(parsed.registry)) {
        throw new ConflictError(
          `${action} is for ${parsed.registry}, which is not ${self.name} or a registry under it; a sync scope map carries gateway actions only for its registry's own subtree.`,
          [{ field: 'addActions', message: `${parsed.registry} is outside ${self.name}'s subtree.` }],
          'gateway_outside_subtree',
        );
      }
      continue;
    }
    addRepository.push(action);
  }
  if (self.mode === 'ReadOnly' && !isReadOnlyActionSet(addRepository)) {
    const writes = addRepository.filter((a) => !isReadOnlyActionSet([a]));
    throw new ConflictError(
      `${self.name} is ReadOnly: its sync scope map cannot grant ${writes.join(', ')}; a ReadOnly registry syncs read actions only.`,
      [{ field: 'addActions', message: 'A ReadOnly registry syncs read actions only.' }],
      'readonly_violation',
    );
  }

  const removeRepository = new Set<string>();
  for (const action of input.removeActions ?? []) {
    const parsed = parseAction(action);
    if ('error' in parsed) continue; // not in any map: nothing to remove
    if (parsed.kind === 'repository') {
      removeRepository.add(action);
      continue;
    }
    const holder = subtree.get(parsed.registry);
    if (holder === self) {
      throw new ConflictError(
        `${action} is ${self.name}'s own gateway action: without it the registry could no longer fetch its configuration or sync. Delete the registry instead.`,
        [{ field: 'removeActions', message: `${self.name}'s own gateway actions stay.` }],
        'own_gateway_action',
      );
    }
    if (holder) {
      throw new ConflictError(
        `${action} is carried for ${holder.name}, which syncs through ${self.name}: without it ${holder.name} could no longer sync. Delete ${holder.name} instead.`,
        [{ field: 'removeActions', message: `Carried for ${holder.name}.` }],
        'descendant_gateway_action',
      );
    }
  }

  const alsoRemovedFrom = await changeRepositoryActions(tx, nodes, self, {
    add: addRepository,
    removes: (a) => removeRepository.has(a),
    field: 'removeActions',
  });
  const after = await tx.scopeMap.update({
    where: { id: map.id },
    data: input.description !== undefined ? { description: input.description || null } : {},
    select: { actions: true, description: true },
  });
  await recordAudit(tx, actor, {
    action: 'scopeMap.update',
    targetType: 'scopeMap',
    targetName: map.name,
    registry: cloud.name,
    details: {
      connectedRegistry: registryName,
      added: normalizeActions(after.actions.filter((a) => !map.actions.includes(a))),
      removed: normalizeActions(map.actions.filter((a) => !after.actions.includes(a))),
      alsoRemovedFrom,
      ancestorsUpdated: ancestorsOf(nodes, self.id).map((a) => a.name),
      ...(input.description !== undefined ? { description: { before: map.description, after: after.description } } : {}),
    },
  });
}

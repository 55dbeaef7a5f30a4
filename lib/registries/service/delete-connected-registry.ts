// Delete: a registry without children goes with its sync token and sync scope map (an adopted
// token stays, losing the registry's gateway actions), and leaves its ancestors' sync scope maps.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { ConflictError } from '@/lib/errors';
import { GATEWAY_ACTIONS, gatewayAction } from '@/lib/scope-maps/grammar';
import { loadConnectedRegistry } from '../queries';
import { ancestorsOf } from '../sync-scope';
import { loadHierarchy, refreshSyncScopeMaps } from './hierarchy';
import { withCloudRegistry } from './with-cloud-registry';

export async function deleteConnectedRegistry(actor: Actor, registryName: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadConnectedRegistry(tx, cloud.id, name);
    if (current._count.children > 0) {
      throw new ConflictError(
        `${current.name} still has ${current._count.children} connected ${current._count.children === 1 ? 'registry' : 'registries'} under it; delete ${current._count.children === 1 ? 'it' : 'them'} first.`,
      );
    }
    const nodes = await loadHierarchy(tx, cloud.id);
    const ancestors = ancestorsOf(nodes, current.id);
    await tx.connectedRegistry.delete({ where: { id: current.id } });
    // An adopted sync token was the admin's before: it stays, with its scope map, and loses
    // only what creation added, the registry's gateway actions.
    const ownGateway = new Set(GATEWAY_ACTIONS.map((a) => gatewayAction(current.name, a)));
    const removedGatewayActions = current.syncScopeMap.actions.filter((a) => ownGateway.has(a));
    if (current.syncTokenAdopted) {
      await tx.scopeMap.update({
        where: { id: current.syncScopeMapId },
        data: { actions: current.syncScopeMap.actions.filter((a) => !ownGateway.has(a)) },
      });
    } else {
      await tx.token.delete({ where: { id: current.syncTokenId } });
      await tx.scopeMap.delete({ where: { id: current.syncScopeMapId } });
    }
    await refreshSyncScopeMaps(
      tx,
      nodes.filter((n) => n.id !== current.id),
      ancestors.map((a) => a.id),
    );
    await audit('connectedRegistry.delete', current.name, {
      parent: current.parent?.name ?? null,
      ...(current.syncTokenAdopted
        ? { keptSyncToken: current.syncToken.name, keptSyncScopeMap: current.syncScopeMap.name, removedGatewayActions }
        : { deletedSyncToken: current.syncToken.name, deletedSyncScopeMap: current.syncScopeMap.name }),
      repositories: current.repositories,
      ancestorsUpdated: ancestors.map((a) => a.name),
    });
  });
}

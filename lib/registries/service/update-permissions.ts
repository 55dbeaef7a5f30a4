import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { loadConnectedRegistry, readConnectedRegistryDto } from '../queries';
import type { ConnectedRegistryDto } from '../schemas';
import type { PermissionsInput } from '../schemas';
import { modeActionsFor } from '../sync-scope';
import { changeRepositoryActions, loadHierarchy, repositoryOf } from './hierarchy';
import { withCloudRegistry } from './with-cloud-registry';

/**
 * Adds repositories to a registry (its ancestors then sync them too, through their derived
 * scope maps) and removes repositories from it and from all its descendants.
 */
export async function updatePermissions(
  actor: Actor,
  registryName: string,
  name: string,
  input: PermissionsInput,
): Promise<ConnectedRegistryDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadConnectedRegistry(tx, cloud.id, name);
    const nodes = await loadHierarchy(tx, cloud.id);
    const self = nodes.find((n) => n.id === current.id)!;
    const remove = new Set(input.remove);
    const touchedDescendants = await changeRepositoryActions(tx, nodes, self, {
      add: modeActionsFor(input.add, self.mode),
      removes: (action) => remove.has(repositoryOf(action) ?? ''),
      field: 'remove',
    });
    const dto = await readConnectedRegistryDto(tx, current.id);
    await audit('connectedRegistry.permissions', dto.name, { add: input.add, remove: input.remove, alsoRemovedFrom: touchedDescendants });
    return dto;
  });
}

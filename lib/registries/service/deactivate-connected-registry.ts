// Deactivate: the registry may be deployed again (its activation resets to Inactive).
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { loadConnectedRegistry, readConnectedRegistryDto } from '../queries';
import type { ConnectedRegistryDto } from '../schemas';
import { withCloudRegistry } from './with-cloud-registry';

export async function deactivateConnectedRegistry(actor: Actor, registryName: string, name: string): Promise<ConnectedRegistryDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadConnectedRegistry(tx, cloud.id, name);
    await tx.connectedRegistry.update({ where: { id: current.id }, data: { activationStatus: 'Inactive', instanceId: null } });
    // its activation is in its own row alone (no configuration carries it)
    await audit('connectedRegistry.deactivate', current.name, { before: current.activationStatus }, [current.name]);
    return readConnectedRegistryDto(tx, current.id);
  });
}

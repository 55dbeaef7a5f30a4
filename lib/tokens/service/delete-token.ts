// Deletes a client token no connected registry accepts; a sync token goes with its registry.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { ConflictError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { loadToken } from './load-token';

export async function deleteToken(actor: Actor, registryName: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadToken(tx, cloud.id, name);
    if (current.syncRegistry) {
      throw new ConflictError(
        `${current.name} is the sync token of ${current.syncRegistry.name}; it goes when that registry is deleted.`,
        [],
        'sync_token',
      );
    }
    if (current.clientOf.length) {
      const names = current.clientOf.map((c) => c.connectedRegistry.name).sort();
      throw new ConflictError(
        `${current.name} is accepted by ${names.join(', ')}; remove it from ${names.length === 1 ? 'that registry' : 'those registries'} first.`,
        [],
        'in_use',
      );
    }
    await tx.token.delete({ where: { id: current.id } });
    await audit('token.delete', current.name, { scopeMap: current.scopeMap.name });
  });
}

// Changes a token's status or scope map. Disabling a sync token disables its connected
// registry (audited as such); a ReadOnly registry's client token keeps a read-only map.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import { ConflictError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { isReadOnlyActionSet } from '@/lib/scope-maps/grammar';
import type { TokenDto, UpdateTokenInput } from '../schemas';
import { loadToken, readToken, resolveClientScopeMap } from './load-token';

export async function updateToken(actor: Actor, registryName: string, name: string, input: UpdateTokenInput): Promise<TokenDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadToken(tx, cloud.id, name);
    let scopeMapId = current.scopeMapId;
    if (input.scopeMap && input.scopeMap.toLowerCase() !== current.scopeMap.name.toLowerCase()) {
      if (current.syncRegistry) {
        throw new ConflictError(
          `${current.name} is the sync token of ${current.syncRegistry.name}: its scope map is managed by the registry.`,
          [{ field: 'scopeMap', message: 'A sync token keeps its sync scope map.' }],
        );
      }
      const map = await resolveClientScopeMap(tx, cloud.id, input.scopeMap);
      if (!isReadOnlyActionSet(map.actions)) {
        const readOnly = await tx.connectedRegistry.findFirst({
          where: { mode: 'ReadOnly', clientTokens: { some: { tokenId: current.id } } },
          select: { name: true },
        });
        if (readOnly) {
          throw new ConflictError(
            `${current.name} is a client token of ReadOnly registry ${readOnly.name}, and ${map.name} allows more than reading.`,
            [{ field: 'scopeMap', message: `ReadOnly registry ${readOnly.name} accepts read-only tokens only.` }],
            'readonly_violation',
          );
        }
      }
      scopeMapId = map.id;
    }
    await tx.token.update({ where: { id: current.id }, data: { scopeMapId, ...(input.status ? { status: input.status } : {}) } });
    const after = await readToken(tx, current.id);
    await recordAudit(tx, actor, {
      action:
        current.syncRegistry && input.status && input.status !== current.status
          ? input.status === 'disabled'
            ? 'connectedRegistry.disable'
            : 'connectedRegistry.enable'
          : 'token.update',
      targetType: 'token',
      targetName: after.name,
      registry: cloud.name,
      details: {
        ...(current.syncRegistry ? { connectedRegistry: current.syncRegistry.name } : {}),
        before: { status: current.status, scopeMap: current.scopeMap.name },
        after: { status: after.status, scopeMap: after.scopeMap },
      },
    });
    return after;
  });
}

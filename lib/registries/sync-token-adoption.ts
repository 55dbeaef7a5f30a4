// Bring-your-own sync token: creating a connected registry with `syncToken: "<name>"` adopts an
// existing token of the cloud registry instead of making one. The registry's gateway actions are
// added to the token's scope map, and they let the token read the password verifiers of the
// registry's client tokens — so the token and its map must belong to no one else.
import type { Tx } from '@/lib/db/client';
import { ConflictError, ValidationError } from '@/lib/errors';
import { isReadOnlyActionSet, normalizeActions, parseAction } from '@/lib/scope-maps/grammar';
import type { Mode } from './rules';

export type AdoptedSyncToken = {
  id: string;
  name: string;
  scopeMap: { id: string; name: string; actions: string[] };
  /** the slots that hold a password */
  filledSlots: ('password1' | 'password2')[];
  /** the map's repository actions: the new registry's own */
  repositoryActions: string[];
};

const refuse = (message: string, code: string) => new ConflictError(message, [{ field: 'syncToken', message }], code);

/** Checks every rule of adoption (nothing is written); 400 for an unknown name, else 409 naming the rule. */
export async function resolveAdoptedSyncToken(
  tx: Tx,
  cloud: { id: string; name: string },
  tokenName: string,
  registry: { name: string; mode: Mode; clientTokens: string[] },
): Promise<AdoptedSyncToken> {
  const token = await tx.token.findFirst({
    where: { cloudRegistryId: cloud.id, name: { equals: tokenName, mode: 'insensitive' } },
    select: {
      id: true,
      name: true,
      status: true,
      syncRegistry: { select: { name: true } },
      clientOf: { select: { connectedRegistry: { select: { name: true } } }, orderBy: { connectedRegistry: { name: 'asc' } } },
      passwords: { select: { slot: true } },
      scopeMap: {
        select: {
          id: true,
          name: true,
          system: true,
          actions: true,
          tokens: { select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 6 },
        },
      },
    },
  });
  if (!token) {
    const elsewhere = await tx.token.findFirst({
      where: { name: { equals: tokenName, mode: 'insensitive' }, cloudRegistryId: { not: cloud.id } },
      select: { cloudRegistry: { select: { name: true } } },
    });
    if (elsewhere) {
      throw refuse(`${tokenName} belongs to cloud registry ${elsewhere.cloudRegistry.name}; a sync token must be a token of ${cloud.name}.`, 'sync_token_other_registry');
    }
    throw ValidationError.field('syncToken', `There is no token named ${tokenName} in ${cloud.name}.`);
  }
  if (token.status !== 'enabled') {
    throw refuse(`${token.name} is disabled; a sync token must be enabled (a disabled sync token disables its registry).`, 'sync_token_disabled');
  }
  if (token.syncRegistry) throw refuse(`${token.name} is already the sync token of ${token.syncRegistry.name}.`, 'sync_token_in_use');
  if (registry.clientTokens.some((n) => n.toLowerCase() === token.name.toLowerCase()) || token.clientOf.length) {
    const of = token.clientOf.length ? token.clientOf.map((c) => c.connectedRegistry.name).join(', ') : registry.name;
    throw refuse(`${token.name} is a client token of ${of}; a sync token cannot also be a client token.`, 'client_token');
  }
  const map = token.scopeMap;
  const others = map.tokens.filter((t) => t.id !== token.id);
  if (map.system) throw refuse(`${token.name} uses the system scope map ${map.name}, which cannot be changed; give it a scope map of its own first.`, 'system_scope_map');
  if (others.length) {
    throw refuse(
      `${token.name}'s scope map ${map.name} is also used by ${others.map((t) => t.name).join(', ')}. ${registry.name}'s gateway actions will be added to that map, and they let its holder read the password verifiers of ${registry.name}'s clients: give ${token.name} a scope map of its own first.`,
      'scope_map_shared',
    );
  }
  const parsed = map.actions.map(parseAction);
  const foreignGateway = parsed.flatMap((p) => ('error' in p || p.kind !== 'gateway' || p.registry === registry.name.toLowerCase() ? [] : [p.registry]));
  if (foreignGateway.length) {
    throw refuse(
      `${map.name} grants gateway actions for ${[...new Set(foreignGateway)].join(', ')}; a sync scope map carries gateway actions only for its registry and the registries under it.`,
      'gateway_outside_subtree',
    );
  }
  const repositoryActions = normalizeActions(map.actions.filter((a) => a.startsWith('repositories/')));
  if (!repositoryActions.length) {
    throw refuse(`${map.name} grants no repository; the repositories it grants are what ${registry.name} syncs, so it needs at least one.`, 'no_repositories');
  }
  if (registry.mode === 'ReadOnly' && !isReadOnlyActionSet(repositoryActions)) {
    throw refuse(`${registry.name} is ReadOnly, and ${map.name} grants more than reading repositories; a ReadOnly registry syncs read actions only.`, 'readonly_violation');
  }
  return {
    id: token.id,
    name: token.name,
    scopeMap: { id: map.id, name: map.name, actions: map.actions },
    filledSlots: token.passwords.map((p) => p.slot),
    repositoryActions,
  };
}

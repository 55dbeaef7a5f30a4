// Which existing token a new connected registry may adopt as its sync token (`syncToken` at
// creation), as a pure rule over facts about the token: the service refuses with it (409 naming
// the rule) and the portal's picker disables ineligible tokens with the same reason, live, as
// the admin changes the new registry's name, mode or client tokens. No database, no Next.js.
import { z } from 'zod';
import type { ErrorCode } from '@/lib/errors';
import { isReadOnlyActionSet, normalizeActions, parseAction } from '@/lib/scope-maps/grammar';
import type { Mode } from './rules';
import { repositoriesOf } from './sync-scope';

/** What the rule needs to know about a token (GET R/sync-token-candidates answers a page of these). */
export const syncTokenCandidate = z.object({
  name: z.string(),
  status: z.enum(['enabled', 'disabled']),
  /** the registry it is the sync token of already */
  syncRegistry: z.string().nullable(),
  /** the registries that accept it as a client token */
  clientOf: z.array(z.string()),
  /** how many of its two password slots hold a password: with both full, adopting it generates none */
  filledSlotCount: z.number().int(),
  scopeMap: z.object({
    name: z.string(),
    system: z.boolean(),
    /** the other tokens that use the map (at most 5 named) */
    sharedWith: z.array(z.string()),
    /** the registries (lowercase) whose gateway actions it grants */
    gatewayRegistries: z.array(z.string()),
    /** the repositories it grants: what the registry would sync */
    repositories: z.array(z.string()),
    /** true when its repository actions only read (a ReadOnly registry needs that) */
    readsOnly: z.boolean(),
  }),
});
export type SyncTokenCandidate = z.infer<typeof syncTokenCandidate>;

/** The facts of a scope map's actions that the rule reads. */
export function scopeMapFacts(actions: string[]) {
  const repositoryActions = normalizeActions(actions.filter((a) => a.startsWith('repositories/')));
  const gateway = new Set<string>();
  for (const a of actions) {
    const p = parseAction(a);
    if (!('error' in p) && p.kind === 'gateway') gateway.add(p.registry);
  }
  return {
    repositoryActions,
    gatewayRegistries: [...gateway].sort(),
    repositories: repositoriesOf(repositoryActions),
    readsOnly: isReadOnlyActionSet(repositoryActions),
  };
}

export type AdoptionRefusal = { code: ErrorCode; message: string };

/** Why `token` cannot become the sync token of the new registry, or null when it can. */
export function syncTokenRefusal(
  token: SyncTokenCandidate,
  registry: { name: string; mode: Mode; clientTokens: string[] },
): AdoptionRefusal | null {
  const map = token.scopeMap;
  if (token.status !== 'enabled') {
    return {
      code: 'sync_token_disabled',
      message: `${token.name} is disabled; a sync token must be enabled (a disabled sync token disables its registry).`,
    };
  }
  if (token.syncRegistry)
    return { code: 'sync_token_in_use', message: `${token.name} is already the sync token of ${token.syncRegistry}.` };
  if (registry.clientTokens.some((n) => n.toLowerCase() === token.name.toLowerCase()) || token.clientOf.length) {
    const of = token.clientOf.length ? token.clientOf.join(', ') : registry.name || 'this registry';
    return { code: 'client_token', message: `${token.name} is a client token of ${of}; a sync token cannot also be a client token.` };
  }
  if (map.system) {
    return {
      code: 'system_scope_map',
      message: `${token.name} uses the system scope map ${map.name}, which cannot be changed; give it a scope map of its own first.`,
    };
  }
  if (map.sharedWith.length) {
    const who = registry.name || 'the registry';
    return {
      code: 'scope_map_shared',
      message: `${token.name}'s scope map ${map.name} is also used by ${map.sharedWith.join(', ')}. ${who}'s gateway actions will be added to that map, and they let its holder read the password verifiers of ${who}'s clients: give ${token.name} a scope map of its own first.`,
    };
  }
  const foreign = map.gatewayRegistries.filter((r) => r !== registry.name.toLowerCase());
  if (foreign.length) {
    return {
      code: 'gateway_outside_subtree',
      message: `${map.name} grants gateway actions for ${foreign.join(', ')}; a sync scope map carries gateway actions only for its registry and the registries under it.`,
    };
  }
  if (!map.repositories.length) {
    return {
      code: 'no_repositories',
      message: `${map.name} grants no repository; the repositories it grants are what ${registry.name || 'the registry'} syncs, so it needs at least one.`,
    };
  }
  if (registry.mode === 'ReadOnly' && !map.readsOnly) {
    return {
      code: 'readonly_violation',
      message: `${registry.name || 'The registry'} is ReadOnly, and ${map.name} grants more than reading repositories; a ReadOnly registry syncs read actions only.`,
    };
  }
  return null;
}

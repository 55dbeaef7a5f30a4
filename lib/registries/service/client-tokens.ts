import 'server-only';
import type { Tx } from '@/lib/db/client';
import { sameNames } from '@/lib/db/like';
import { ConflictError, ValidationError } from '@/lib/errors';
import { isReadOnlyActionSet } from '@/lib/scope-maps/grammar';
import type { Mode } from '../rules';

/** Resolves client token names; a ReadOnly registry only accepts tokens whose scope map only reads. */
export async function resolveClientTokens(tx: Tx, cloudRegistryId: string, names: string[], mode: Mode, registryName: string) {
  if (!names.length) return [];
  const tokens = await tx.token.findMany({
    where: { cloudRegistryId, name: sameNames(names) },
    select: { id: true, name: true, syncRegistry: { select: { id: true } }, scopeMap: { select: { name: true, actions: true } } },
  });
  const missing = names.filter((n) => !tokens.some((t) => t.name.toLowerCase() === n.toLowerCase()));
  if (missing.length) {
    throw ValidationError.field('clientTokens', `No token named ${missing.join(', ')} exists in this cloud registry.`);
  }
  for (const t of tokens) {
    if (t.syncRegistry) {
      throw new ConflictError(`${t.name} is a sync token; a connected registry accepts client tokens only.`, [
        { field: 'clientTokens', message: `${t.name} is a sync token.` },
      ]);
    }
    if (mode === 'ReadOnly' && !isReadOnlyActionSet(t.scopeMap.actions)) {
      const message = `${registryName} is ReadOnly: client token ${t.name} cannot be accepted, because its scope map ${t.scopeMap.name} allows more than reading.`;
      throw new ConflictError(message, [{ field: 'clientTokens', message }], 'readonly_violation');
    }
  }
  return tokens;
}

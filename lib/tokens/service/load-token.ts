// Reads the token use cases share inside their transaction.
import 'server-only';
import type { Tx } from '@/lib/db/client';
import { sameName } from '@/lib/db/like';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { tokenSelect, toTokenDto } from '../queries';

/** The token to change, found without regard to case, with what its rules need. */
export async function loadToken(tx: Tx, cloudRegistryId: string, name: string) {
  const row = await tx.token.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: {
      id: true,
      name: true,
      status: true,
      scopeMapId: true,
      scopeMap: { select: { name: true } },
      syncRegistry: { select: { name: true } },
      clientOf: { select: { connectedRegistry: { select: { name: true } } } },
    },
  });
  if (!row) throw new NotFoundError(`Token "${name}"`);
  return row;
}

/** The token's DTO as the transaction sees it. */
export async function readToken(tx: Tx, id: string) {
  return toTokenDto(await tx.token.findUniqueOrThrow({ where: { id }, select: tokenSelect }));
}

/** A scope map a client token may use: one of this cloud registry's, and no registry's sync scope map. */
export async function resolveClientScopeMap(tx: Tx, cloudRegistryId: string, name: string) {
  const map = await tx.scopeMap.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: { id: true, name: true, actions: true, syncRegistry: { select: { name: true } } },
  });
  if (!map) throw ValidationError.field('scopeMap', `There is no scope map named ${name}.`);
  if (map.syncRegistry) {
    throw new ConflictError(`${map.name} is the sync scope map of ${map.syncRegistry.name}; client tokens need another scope map.`, [
      { field: 'scopeMap', message: 'Sync scope maps belong to their registry’s sync token.' },
    ]);
  }
  return map;
}

// Who is calling the gateway: a sync token authenticated first, then the connected registry it
// asks about, and the instance (deployment) of that registry it speaks for.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { currentKnown } from '@/lib/db/last-known';
import { sameName } from '@/lib/db/like';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { type GatewayAction } from '@/lib/scope-maps/grammar';
import { authenticateSyncToken, requireGatewayAction, type GatewayCaller } from './auth';
import { headerOf, type GatewayHeaders } from './http';

// What authorizing reads, and where it is remembered (lib/db/last-known.ts); also read ahead by
// the rebuild of the long polls (lib/gateway/reask.ts)
export const cloudSelect = { id: true, name: true, loginServer: true, dataEndpoint: true } as const satisfies Prisma.CloudRegistrySelect;
export const registrySelect = {
  id: true,
  name: true,
  activationStatus: true,
  instanceId: true,
  syncTokenId: true,
} as const satisfies Prisma.ConnectedRegistrySelect;
type RegistryRead = Prisma.ConnectedRegistryGetPayload<{ select: typeof registrySelect }>;
/**
 * A connected registry as authorize reads it (registrySelect), from a row read with more columns:
 * the rebuild's, which the read-ahead remembers in its place (./reask.ts).
 */
export function registryRead(row: RegistryRead): RegistryRead {
  return { id: row.id, name: row.name, activationStatus: row.activationStatus, instanceId: row.instanceId, syncTokenId: row.syncTokenId };
}
export const CLOUD_KEY = 'cloud';
/** a connected registry's row, remembered as one of its own (dropped by a change concerning it alone) */
export const registryKey = (name: string) => `registry:${name.toLowerCase()}`;

/**
 * Authenticates first, then looks the connected registry up: before authentication every
 * request is a 401 alike (an unknown cloud registry counts as a failed attempt), and a caller
 * whose scope map lacks the gateway action for that name learns nothing about whether it exists.
 */
export async function authorize(headers: GatewayHeaders, registryName: string, name: string, actions: GatewayAction[], now = new Date()) {
  const db = getDb();
  // each read is remembered until a change to the cloud registry is announced (lib/db/last-known.ts):
  // a poll asking again costs no query, and in a database outage the config endpoint answers from memory
  const cloud = await currentKnown(registryName, CLOUD_KEY, () =>
    db.cloudRegistry.findFirst({ where: { name: sameName(registryName) }, select: cloudSelect }),
  );
  const caller = await authenticateSyncToken(headers, cloud, now);
  requireGatewayAction(caller, name, actions);
  const registry = await currentKnown(
    caller.cloudRegistryName,
    registryKey(name),
    () =>
      db.connectedRegistry.findFirst({ where: { cloudRegistryId: caller.cloudRegistryId, name: sameName(name) }, select: registrySelect }),
    name.toLowerCase(),
  );
  if (!cloud || !registry) throw new NotFoundError(`Connected registry "${name}"`);
  return { cloud, registry, caller };
}

export const INSTANCE_HEADER = 'X-Connected-Registry-Instance';

/** The instance id a request presents; required of the registry's own sync token. */
export function instanceOf(headers: GatewayHeaders, caller: GatewayCaller, registry: { name: string; syncTokenId: string }): string | null {
  const registryName = registry.name;
  const value = headerOf(headers, INSTANCE_HEADER)?.trim() || null;
  if (value && value.length > 200) throw ValidationError.field(INSTANCE_HEADER, `${INSTANCE_HEADER} is at most 200 characters.`);
  if (!value && isOwnSyncToken(caller, registry)) {
    throw ValidationError.field(INSTANCE_HEADER, `Send the ${INSTANCE_HEADER} header: the id of this deployment of ${registryName}.`);
  }
  return value;
}

export function otherInstance(registryName: string, boundTo: string | null): ConflictError {
  return boundTo
    ? new ConflictError(
        `${registryName} is already active as another instance (${boundTo}). Deactivate it in Canopy before deploying it again.`,
        [],
        'already_active',
      )
    : new ConflictError(`${registryName} is not active: fetch its configuration first to activate it.`, [], 'not_active');
}

/** The registry's own sync token, found by id (an adopted sync token has any name). */
export function isOwnSyncToken(caller: GatewayCaller, registry: { syncTokenId: string }) {
  return caller.tokenId === registry.syncTokenId;
}

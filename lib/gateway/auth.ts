// A connected registry's on-premises side authenticates to the gateway with a sync token (HTTP
// Basic: token name and password). The token's scope map must grant the gateway action asked
// for on that registry (`gateway/<name>/config/read`, …): its own sync token does, and so do its
// ancestors' sync tokens (they carry their descendants' gateway actions).
import 'server-only';
import { basicCredentials } from '@/lib/auth/basic';
import { checkReadVerifier, readSaltedVerifier } from '@/lib/auth/secrets';
import { clientAddress } from '@/lib/auth/client-address';
import { getDb } from '@/lib/db/client';
import { currentKnown } from '@/lib/db/last-known';
import { AppError, RateLimitedError, type ErrorCode } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { credentialLimits, recordFailureAndCheck } from '@/lib/rate-limit';
import { gatewayAction, type GatewayAction } from '@/lib/scope-maps/grammar';
import { noteSlotUsed } from '@/lib/tokens/last-used';
import { sameName } from '@/lib/db/like';
import { headerOf, type GatewayHeaders } from './http';

// per (sync token, address) and per address, as at the token endpoint: a sync token's name is
// predictable, so no count of failures may lock the real registry out from its own address
export const GATEWAY_FAILURE_LIMITS = {
  perCredentialAddress: { max: 10, windowSeconds: 5 * 60 },
  perAddress: { max: 30, windowSeconds: 5 * 60 },
};

export class GatewayAuthError extends AppError {
  constructor(status: 401 | 403, message: string, code: ErrorCode = status === 401 ? 'unauthorized' : 'forbidden') {
    super(status, code, message);
  }
}

export type GatewayCaller = {
  tokenId: string;
  tokenName: string;
  cloudRegistryId: string;
  cloudRegistryName: string;
  scopeActions: string[];
};

/** What every failed authentication answers, whether the registry exists or not. */
export const WRONG_CREDENTIALS = 'The sync token name or password is wrong.';
export const NO_CREDENTIALS = 'Send the sync token name and password with HTTP Basic.';

/** What authenticating a sync token reads (also read ahead by the rebuild of the long polls: lib/gateway/reask.ts). */
export const syncTokenSelect = {
  id: true,
  name: true,
  status: true,
  scopeMap: { select: { actions: true } },
  passwords: { select: { slot: true, verifier: true, expiry: true } },
  syncRegistry: { select: { name: true } },
} as const satisfies Prisma.TokenSelect;

/**
 * A sync token as authenticating keeps it (lib/db/last-known.ts): what syncTokenSelect reads, each
 * password's verifier read once (lib/auth/secrets.ts), not per request. Both the request's own read
 * and the rebuild's read-ahead (./reask.ts, from the rows it shares with the rebuild) keep it
 * through this.
 */
export function keptSyncToken(row: Prisma.TokenGetPayload<{ select: typeof syncTokenSelect }>) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    scopeMap: { actions: row.scopeMap.actions },
    passwords: row.passwords.map(({ slot, verifier, expiry }) => ({ slot, expiry, read: readSaltedVerifier(verifier) })),
    syncRegistry: row.syncRegistry,
  };
}

/** Where a sync token is remembered (lib/db/last-known.ts): by its name, which is case-insensitive. */
export const syncTokenKey = (username: string) => `sync-token:${username.toLowerCase()}`;

/**
 * Verifies the sync-token credentials against a cloud registry; failures are rate limited. An
 * unknown cloud registry (null) is a failure like a wrong password: before authentication the
 * gateway tells a stranger nothing about which registries exist.
 */
export async function authenticateSyncToken(
  headers: GatewayHeaders,
  cloudRegistry: { id: string; name: string } | null,
  now = new Date(),
): Promise<GatewayCaller> {
  const credentials = basicCredentials(headerOf(headers, 'authorization'));
  if (!credentials) throw new GatewayAuthError(401, NO_CREDENTIALS);
  const limits = credentialLimits('gateway', credentials.username, clientAddress(headers), GATEWAY_FAILURE_LIMITS);
  const fail = async (status: 401 | 403, message: string): Promise<never> => {
    const wait = await recordFailureAndCheck(limits);
    if (wait > 0) throw new RateLimitedError(wait);
    throw new GatewayAuthError(status, message);
  };
  if (!cloudRegistry) return fail(401, WRONG_CREDENTIALS);
  // answered from memory until a change to the cloud registry is announced, and in a database
  // outage (lib/db/last-known.ts): a poll asking again costs no query
  const token = await currentKnown(cloudRegistry.name, syncTokenKey(credentials.username), async () => {
    const row = await getDb().token.findFirst({
      where: { cloudRegistryId: cloudRegistry.id, name: sameName(credentials.username) },
      select: syncTokenSelect,
    });
    return row && keptSyncToken(row);
  });
  const slot = token?.passwords.find((p) => checkReadVerifier(p.read, credentials.password));
  if (!token || !slot) return fail(401, WRONG_CREDENTIALS);
  if (slot.expiry && slot.expiry <= now) return fail(401, `The password of ${token.name} has expired.`);
  if (token.status !== 'enabled') {
    // A correct password of a disabled registry is a 403 of its own (not counted as a failure):
    // the edge refuses its clients on it, while a 401 (wrong password) keeps it serving.
    if (token.syncRegistry) {
      throw new GatewayAuthError(
        403,
        `${token.syncRegistry.name} is disabled in Canopy (its sync token ${token.name} is disabled).`,
        'registry_disabled',
      );
    }
    return fail(401, `${token.name} is disabled.`);
  }
  // the slot's "Last used" tells an admin which slot the registry runs on before rotating
  noteSlotUsed(token.id, slot.slot, now.getTime(), 'gateway');
  return {
    tokenId: token.id,
    tokenName: token.name,
    cloudRegistryId: cloudRegistry.id,
    cloudRegistryName: cloudRegistry.name,
    scopeActions: token.scopeMap.actions,
  };
}

export function requireGatewayAction(caller: GatewayCaller, registryName: string, actions: GatewayAction[]): void {
  const granted = actions.some((a) => caller.scopeActions.includes(gatewayAction(registryName, a)));
  if (!granted) {
    throw new GatewayAuthError(
      403,
      `${caller.tokenName} may not ${actions.join(' or ')} for ${registryName}: its scope map lacks ${actions.map((a) => gatewayAction(registryName, a)).join(' / ')}.`,
    );
  }
}

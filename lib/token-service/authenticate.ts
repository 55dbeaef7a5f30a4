// Who is asking, and may they use this service? A service is the login server of a cloud
// registry or of a connected registry; the credentials are a token name and one of its passwords.
import 'server-only';
import { checkReadVerifier, readSaltedVerifier } from '@/lib/auth/secrets';
import { onChange } from '@/lib/db/change-feed';
import { getDb } from '@/lib/db/client';
import { answeringFromMemory, DatabaseUnavailableError, noteDatabaseFailure, noteDatabaseReachable, outageSince } from '@/lib/db/outage';
import { noteSlotUsed } from '@/lib/tokens/last-used';
import type { PasswordSlotName } from '@/lib/tokens/schemas';
import { sameName } from '@/lib/db/like';

export type ServiceTarget =
  | { kind: 'cloud'; cloudRegistryId: string; name: string; serviceName: string }
  | {
      kind: 'connected';
      cloudRegistryId: string;
      /** `<cloud registry>/<connected registry>`, which names it alone */
      serviceName: string;
      id: string;
      name: string;
      readOnly: boolean;
      /** a registry whose sync token is disabled grants nothing to anyone */
      disabled: boolean;
    };

export type Principal = {
  tokenId: string;
  tokenName: string;
  cloudRegistryId: string;
  scopeMapName: string;
  scopeMapActions: string[];
  slot: PasswordSlotName;
  slotCreatedAt: Date;
  slotExpiry: Date | null;
};

/**
 * A refusal the client is told about. Only a wrong credential (a guess) counts against the failure
 * limits, and says so; any other refusal does not by default — a right password that is refused
 * (disabled, expired, not accepted here) is its owner asking, and a store's clients share one
 * address: a disabled kiosk token asked for again and again must not get every other token there
 * refused 429.
 */
export class TokenAuthError extends Error {
  /** counts against the failure limits */
  readonly countsAsFailure: boolean;
  /** a specific error code for clients (e.g. ambiguous_service) */
  readonly code?: string;
  constructor(
    readonly status: 400 | 401,
    message: string,
    options: { countsAsFailure?: true; code?: string } = {},
  ) {
    super(message);
    this.countsAsFailure = options.countsAsFailure ?? false;
    this.code = options.code;
  }
}

// The hot path reads from memory. Entries are dropped on every change announcement (after the
// admin's transaction commits, in this instance and, through NOTIFY, in every other) and
// reloaded after a minute at most, in the background: the value held answers meanwhile, so that
// no grant waits for the database for a mere age limit. One load per entry at a time, shared by
// every request that needs it. A read that raced with a change is not cached (the generation
// moved on), nor shared with requests that come after the change.
export const CACHE_TTL_MS = 60_000;
const cache = new Map<string, { at: number; value: unknown }>();
const loads = new Map<string, Promise<unknown>>();
let generation = 0;
let subscribed = false;

function load<T>(key: string, read: () => Promise<T>, hit: { value: unknown } | undefined): Promise<T> {
  const pending = loads.get(key);
  if (pending) return pending as Promise<T>;
  const before = generation;
  const loaded = read().then(
    (value) => {
      noteDatabaseReachable();
      if (before === generation) {
        if (cache.size > 20_000) cache.clear();
        cache.set(key, { at: Date.now(), value });
      }
      return value;
    },
    (error) => {
      if (!noteDatabaseFailure(error)) throw error;
      if (hit && answeringFromMemory()) return hit.value as T;
      throw new DatabaseUnavailableError();
    },
  );
  loads.set(key, loaded);
  const done = () => {
    if (loads.get(key) === loaded) loads.delete(key);
  };
  loaded.then(done, done);
  return loaded;
}

/**
 * The cached value, synchronously on a hit (no promise: the hot path awaits nothing it does not
 * need to), or a promise of the loaded value.
 */
function cached<T>(key: string, read: () => Promise<T>, now: number): T | Promise<T> {
  if (!subscribed) {
    subscribed = true;
    onChange(() => {
      generation += 1;
      cache.clear();
      loads.clear();
    });
  }
  const hit = cache.get(key);
  if (!hit) return load(key, read, undefined);
  if (now - hit.at >= CACHE_TTL_MS) {
    // in a database outage, what is held answers for a minute at most, however old, without
    // asking the database (see lib/db/outage.ts)
    if (outageSince() !== null) return answeringFromMemory() ? (hit.value as T) : load(key, read, hit);
    // past its age limit, the value held answers while one reload runs in the background
    load(key, read, hit).catch(() => {});
  }
  return hit.value as T;
}

/**
 * Every registry answering to this service: a login server (one cloud registry, or the connected
 * registries that share it), or a connected registry's service name `<cloud>/<connected>`.
 */
export function resolveService(service: string, now = Date.now()): ServiceTarget[] | Promise<ServiceTarget[]> {
  return cached(`service:${service.toLowerCase()}`, () => loadService(service), now);
}

const connectedSelect = {
  id: true,
  name: true,
  cloudRegistryId: true,
  mode: true,
  cloudRegistry: { select: { name: true } },
  syncToken: { select: { status: true } },
} as const;

async function loadService(service: string): Promise<ServiceTarget[]> {
  const db = getDb();
  const lower = service.toLowerCase();
  const slash = lower.indexOf('/');
  const [clouds, connected] = await Promise.all([
    slash >= 0 ? [] : db.cloudRegistry.findMany({ where: { loginServer: lower }, select: { id: true, name: true } }),
    db.connectedRegistry.findMany({
      where:
        slash >= 0
          ? {
              cloudRegistry: { name: sameName(service.slice(0, slash)) },
              name: sameName(service.slice(slash + 1)),
            }
          : // a registry detached from a cloud registry's login server (loginServerHolder null) is not found by it
            { loginServer: lower, loginServerHolder: 'connected' },
      select: connectedSelect,
      take: 50,
    }),
  ]);
  return [
    ...clouds.map((c) => ({ kind: 'cloud' as const, cloudRegistryId: c.id, name: c.name, serviceName: c.name })),
    ...connected.map((c) => ({
      kind: 'connected' as const,
      cloudRegistryId: c.cloudRegistryId,
      serviceName: `${c.cloudRegistry.name}/${c.name}`,
      id: c.id,
      name: c.name,
      readOnly: c.mode === 'ReadOnly',
      disabled: c.syncToken.status === 'disabled',
    })),
  ];
}

// a token's rows as the cache keeps them: each password's verifier read once, here, not per grant
const tokenQuery = async (cloudRegistryIds: string[], name: string) => {
  const rows = await getDb().token.findMany({
    where: { cloudRegistryId: { in: cloudRegistryIds }, name: sameName(name) },
    select: {
      id: true,
      name: true,
      status: true,
      cloudRegistryId: true,
      scopeMap: { select: { name: true, actions: true } },
      passwords: { select: { slot: true, verifier: true, createdAt: true, expiry: true } },
      syncRegistry: { select: { id: true, parentId: true } },
      clientOf: { select: { connectedRegistryId: true } },
    },
  });
  return rows.map((row) => ({
    ...row,
    passwords: row.passwords.map(({ verifier, ...password }) => ({ ...password, read: readSaltedVerifier(verifier) })),
  }));
};
type TokenRow = Awaited<ReturnType<typeof tokenQuery>>[number];

/** May this token use this service? (Its cloud registry, or a connected registry that accepts it.) */
function serves(target: ServiceTarget, token: TokenRow): boolean {
  if (target.cloudRegistryId !== token.cloudRegistryId) return false;
  if (target.kind === 'cloud') return true;
  return (
    token.clientOf.some((c) => c.connectedRegistryId === target.id) ||
    // its own sync token, and its children's sync tokens (they sync through it)
    token.syncRegistry?.id === target.id ||
    token.syncRegistry?.parentId === target.id
  );
}

type Credential = { password: string } | { slot: PasswordSlotName; slotCreatedAt: number };

/**
 * Checks a token name and credential against a service. Wrong credentials, disabled tokens,
 * expired slots and tokens the service does not accept are all 401s with the same message
 * shape, so that nothing is learned about which part failed except by an admin.
 */
export function authenticate(
  targets: ServiceTarget[],
  tokenName: string,
  credential: Credential,
  /** ms since the epoch (a number: Next.js's wrapped Date costs on the hot path) */
  now = Date.now(),
): Authenticated | Promise<Authenticated> {
  // one target (the common grant): its cloud registry's id, without an array made and joined per grant
  const cloudKey = targets.length === 1 ? targets[0].cloudRegistryId : [...new Set(targets.map((t) => t.cloudRegistryId))].sort().join(',');
  const tokens = cached(`token:${cloudKey}:${tokenName}`, () => tokenQuery(cloudKey.split(','), tokenName), now);
  return tokens instanceof Promise
    ? tokens.then((rows) => check(rows, targets, tokenName, credential, now))
    : check(tokens, targets, tokenName, credential, now);
}

type Authenticated = { principal: Principal; target: ServiceTarget };

function check(tokens: TokenRow[], targets: ServiceTarget[], tokenName: string, credential: Credential, now: number): Authenticated {
  for (const token of tokens) {
    const slot = token.passwords.find((p) =>
      'password' in credential
        ? checkReadVerifier(p.read, credential.password)
        : p.slot === credential.slot && p.createdAt.getTime() === credential.slotCreatedAt,
    );
    if (!slot) continue;
    // From here on the password was right: its client is its owner, not a guesser, so none of
    // these refusals counts against the failure limits (see TokenAuthError).
    if (slot.expiry && slot.expiry.getTime() <= now) throw new TokenAuthError(401, `The password of ${tokenName} has expired.`);
    if (token.status !== 'enabled') throw new TokenAuthError(401, `Token ${tokenName} is disabled.`);
    const target = targets.find((t) => serves(t, token));
    if (!target) throw new TokenAuthError(401, `Token ${tokenName} is not accepted by this registry.`);
    if (target.kind === 'connected' && target.disabled) {
      throw new TokenAuthError(401, `Connected registry ${target.name} is disabled.`);
    }
    return {
      target,
      principal: {
        tokenId: token.id,
        tokenName: token.name,
        cloudRegistryId: token.cloudRegistryId,
        scopeMapName: token.scopeMap.name,
        scopeMapActions: token.scopeMap.actions,
        slot: slot.slot,
        slotCreatedAt: slot.createdAt,
        slotExpiry: slot.expiry,
      },
    };
  }
  throw new TokenAuthError(401, 'The token name or password is wrong.', { countsAsFailure: true });
}

// Last-used times: written at most once a minute per slot and never awaited by the request.
export function noteUsed(principal: Principal, now = Date.now()): void {
  noteSlotUsed(principal.tokenId, principal.slot, now);
}

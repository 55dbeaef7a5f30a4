// While PostgreSQL cannot be reached, the data plane (the token service, the gateway's config
// endpoint) answers from what it holds in memory — for at most OUTAGE_GRACE_MS of outage, since
// another instance may still reach the database and accept changes this one cannot hear of.
// What cannot be answered from memory is a 503 with Retry-After, never a 500.
//
// An outage starts with the first failure to reach the database (a query, or the LISTEN
// connection of the change feed) and ends when the change feed listens again — at which point
// it announces EVERYTHING, so that every cache that may have missed a change is dropped. (With
// the embedded database there is no LISTEN: the next successful query ends it.)
import { AppError } from '@/lib/errors';

export const OUTAGE_GRACE_MS = 60_000;
export const RETRY_AFTER_SECONDS = 5;

type OutageState = { since: number | null; feedStarted: boolean; feedListening: boolean };
const g = globalThis as unknown as { canopyOutage?: OutageState };
const state = (g.canopyOutage ??= { since: null, feedStarted: false, feedListening: false });

export class DatabaseUnavailableError extends AppError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor() {
    super(503, 'database_unavailable', `The database cannot be reached right now. Try again in ${RETRY_AFTER_SECONDS} seconds.`);
  }
}

// SQLSTATE classes and codes that mean "the server is gone", not "the query is wrong"
const UNREACHABLE_SQLSTATES = /^(08|57P01|57P02|57P03|53300)/;
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);

/** Does this error mean that the database could not be reached (rather than that a query failed)? */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  if (
    typeof e.code === 'string' &&
    (UNREACHABLE_PRISMA_CODES.has(e.code) || UNREACHABLE_NODE_CODES.has(e.code) || UNREACHABLE_SQLSTATES.test(e.code))
  )
    return true;
  if (typeof e.kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(e.kind)) return true;
  if (
    typeof e.message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message)
  )
    return true;
  return isDatabaseUnreachable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnreachable(e.cause, depth + 1);
}

/** Notes a failure; true when it means the database is unreachable (an outage starts, if none). */
export function noteDatabaseFailure(error: unknown, now = Date.now()): boolean {
  if (!isDatabaseUnreachable(error)) return false;
  state.since ??= now;
  return true;
}

/** A query succeeded. Without a LISTEN connection to wait for, that ends an outage. */
export function noteDatabaseReachable(): void {
  if (!usesListen() || !state.feedStarted || state.feedListening) state.since = null;
}

/** The change feed: its LISTEN connection is lost (an outage starts) or listening again (it ends). */
export function noteChangeFeed(listening: boolean, now = Date.now()): void {
  state.feedStarted = true;
  state.feedListening = listening;
  if (listening) state.since = null;
  else state.since ??= now;
}

function usesListen(): boolean {
  return process.env.CANOPY_EMBEDDED !== '1' && Boolean(process.env.DATABASE_URL);
}

/** In an outage that has lasted at most OUTAGE_GRACE_MS: answer from memory without asking the database. */
export function answeringFromMemory(now = Date.now()): boolean {
  return state.since !== null && now - state.since <= OUTAGE_GRACE_MS;
}

/** When the current outage started (null: none). */
export function outageSince(): number | null {
  return state.since;
}

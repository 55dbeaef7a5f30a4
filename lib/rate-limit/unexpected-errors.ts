// Requests that end in an unexpected error (a 500) before anyone was authenticated: an address
// that produces them is answered 429 up front for the rest of a window, and the log gets each
// one in full only a few times a minute, then one line saying how many were left out — so no
// client can turn a server fault into a flood of work and of log. Counted in memory, per
// instance: what failed may be the database itself.
export const UNEXPECTED_ERROR_LIMIT = { max: 10, windowSeconds: 60 };
/** Unexpected errors of unauthenticated requests logged in full per minute, per instance. */
export const UNEXPECTED_ERRORS_LOGGED_PER_MINUTE = 5;

type Window = { count: number; resetAt: number };
const perAddress = new Map<string, Window>();
let nextSweep = 0;

function sweep(now: number) {
  if (now < nextSweep && perAddress.size < 10_000) return;
  nextSweep = now + 60_000;
  for (const [address, w] of perAddress) if (w.resetAt <= now) perAddress.delete(address);
}

/** Seconds this address must wait before its next unauthenticated request is served (0: none). */
export function unexpectedErrorWait(address: string, now = Date.now()): number {
  // the common case, on every token request: no address has had one
  if (perAddress.size === 0) return 0;
  const w = perAddress.get(address);
  if (!w || w.resetAt <= now || w.count < UNEXPECTED_ERROR_LIMIT.max) return 0;
  return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
}

let log = { windowEnds: 0, logged: 0, suppressed: 0 };
let flushTimer: NodeJS.Timeout | undefined;

function flushSuppressed() {
  flushTimer = undefined;
  if (log.suppressed > 0) {
    console.error(`canopy: ${log.suppressed} more unexpected errors of unauthenticated requests in the last minute were not logged`);
  }
  log = { windowEnds: 0, logged: 0, suppressed: 0 };
}

/**
 * Counts an unexpected error of an unauthenticated request against its address and logs it,
 * in full while this minute's allowance lasts.
 */
export function noteUnexpectedError(address: string, what: string, error: unknown, now = Date.now()): void {
  sweep(now);
  const w = perAddress.get(address);
  if (!w || w.resetAt <= now) perAddress.set(address, { count: 1, resetAt: now + UNEXPECTED_ERROR_LIMIT.windowSeconds * 1000 });
  else w.count += 1;

  if (now >= log.windowEnds) {
    if (flushTimer) clearTimeout(flushTimer);
    flushSuppressed();
    log.windowEnds = now + 60_000;
  }
  if (log.logged < UNEXPECTED_ERRORS_LOGGED_PER_MINUTE) {
    log.logged += 1;
    console.error(`${what} (unauthenticated, from ${address.slice(0, 100)})`, error);
    return;
  }
  log.suppressed += 1;
  flushTimer ??= setTimeout(flushSuppressed, Math.max(0, log.windowEnds - now)).unref();
}

// Change notifications: every transaction that records an audit event for a cloud registry
// announces it after commit, so caches (the token service) and long polls (the gateway) react
// within milliseconds. Within a process the announcement is an event on a process-wide bus;
// across instances it is PostgreSQL's LISTEN/NOTIFY (delivered only after commit).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { noteChangeFeed } from './outage';

export const CHANNEL = 'canopy_changes';
/** Announced when anything may have changed (a lost LISTEN connection, say). */
export const EVERYTHING = '*';

/**
 * A listener hears the cloud registry a change concerns (or EVERYTHING), and — when the change
 * concerns no more than some of its connected registries' own rows and configurations (a log
 * level, the client tokens one accepts, an activation) — their names, lowercase, in `only`. A
 * listener that does not read `only` treats every change as one to the whole cloud registry,
 * which is always safe.
 */
type Listener = (registry: string, only?: ReadonlySet<string>) => void;
/** What a transaction changed: per cloud registry, the connected registries it alone concerns, or null for all of it. */
export type Changes = Map<string, Set<string> | null>;

const g = globalThis as unknown as { canopyChangeBus?: EventEmitter; canopyListenClient?: Promise<void> | null; canopyOrigin?: string };
const bus = (g.canopyChangeBus ??= new EventEmitter().setMaxListeners(0));

/** Calls `listener` with the name of each changed cloud registry (or EVERYTHING), and `only` (see Listener). */
export function onChange(listener: Listener): () => void {
  bus.on('change', listener);
  startListening();
  return () => bus.off('change', listener);
}

export function announce(registries: Iterable<string> | Changes): void {
  if (registries instanceof Map) for (const [r, only] of registries) emit(r, only);
  else for (const r of new Set(registries)) emit(r, null);
}

function emit(registry: string, only: ReadonlySet<string> | null | undefined) {
  if (only) bus.emit('change', registry, only);
  else bus.emit('change', registry);
}

// A NOTIFY names the process that sent it (first, as `@origin:<id>`): that process announced the
// change on its own bus right after the commit, and hearing its own NOTIFY again would drop its
// caches a second time — throwing away reads made in between, such as what the gateway keeps for
// a database outage (lib/db/last-known.ts) right after a registry's activation.
const ORIGIN_PREFIX = '@origin:';
const origin = (g.canopyOrigin ??= `${ORIGIN_PREFIX}${randomUUID()}`);

// The payload: the origin, then per changed cloud registry its name (all of it) or
// `[name, connected registry, …]` (only those). PostgreSQL caps a payload at 8,000 bytes: one too
// long for that names the cloud registries alone (all of each), and past that EVERYTHING.
const MAX_PAYLOAD = 7900;

/** Inside a transaction: NOTIFY other instances (PostgreSQL delivers it when the tx commits). */
export function notifySql(registries: string[] | Changes): string {
  const changes: Changes = registries instanceof Map ? registries : new Map(registries.map((r) => [r, null]));
  const entries = [...changes].map(([r, only]) => (only ? [r, ...only] : r));
  const payload = JSON.stringify([origin, ...entries]);
  if (payload.length <= MAX_PAYLOAD) return payload;
  const whole = JSON.stringify([origin, ...changes.keys()]);
  return whole.length <= MAX_PAYLOAD ? whole : JSON.stringify([origin, EVERYTHING]);
}

/** What a NOTIFY payload names (the changes and whom they concern alone); nothing when this process sent it. */
export function notifiedChanges(payload: string): Changes {
  const entries = JSON.parse(payload) as (string | string[])[];
  if (!Array.isArray(entries)) throw new Error('a NOTIFY payload is an array');
  const changes: Changes = new Map();
  if (entries[0] === origin) return changes;
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (!entry.startsWith(ORIGIN_PREFIX)) changes.set(entry, null);
    } else if (Array.isArray(entry) && entry.length > 1 && entry.every((n) => typeof n === 'string')) {
      const [registry, ...only] = entry;
      const held = changes.get(registry);
      if (held === null) continue;
      changes.set(registry, new Set([...(held ?? []), ...only]));
    } else throw new Error('a NOTIFY payload entry is a name or a list of names');
  }
  return changes;
}

/** The cloud registries a NOTIFY payload names; none when this process sent it. */
export function notifiedRegistries(payload: string): string[] {
  return [...notifiedChanges(payload).keys()];
}

function startListening() {
  // The embedded database lives inside this one process: the bus is all there is.
  if (g.canopyListenClient !== undefined || process.env.CANOPY_EMBEDDED === '1' || !process.env.DATABASE_URL) return;
  g.canopyListenClient = connect(0);
}

// Losing the LISTEN connection starts an outage (./outage.ts): caches keep answering for a while
// instead of being dropped at once; when it listens again, EVERYTHING is announced — every
// cache that may have missed a change meanwhile is dropped — and the outage ends. Retries come
// at most 2 s apart, so that the end of an outage is noticed quickly.
async function connect(attempt: number): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 15_000 });
  let retried = false;
  const retry = () => {
    if (retried) return;
    retried = true;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    noteChangeFeed(false);
    setTimeout(() => void connect(attempt + 1), Math.min(2000, 250 * 2 ** attempt)).unref();
  };
  try {
    await client.connect();
    client.on('notification', (n) => {
      try {
        announce(notifiedChanges(n.payload ?? '[]'));
      } catch {
        bus.emit('change', EVERYTHING);
      }
    });
    client.on('error', retry);
    await client.query(`LISTEN ${CHANNEL}`);
    // changes may have happened while we were not listening
    if (attempt > 0) bus.emit('change', EVERYTHING);
    noteChangeFeed(true);
    attempt = 0;
  } catch {
    retry();
  }
}

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

type Listener = (registry: string) => void;

const g = globalThis as unknown as { canopyChangeBus?: EventEmitter; canopyListenClient?: Promise<void> | null; canopyOrigin?: string };
const bus = (g.canopyChangeBus ??= new EventEmitter().setMaxListeners(0));

/** Calls `listener` with the name of each changed cloud registry (or EVERYTHING). */
export function onChange(listener: Listener): () => void {
  bus.on('change', listener);
  startListening();
  return () => bus.off('change', listener);
}

export function announce(registries: Iterable<string>): void {
  for (const r of new Set(registries)) bus.emit('change', r);
}

// A NOTIFY names the process that sent it (first, as `@origin:<id>`): that process announced the
// change on its own bus right after the commit, and hearing its own NOTIFY again would drop its
// caches a second time — throwing away reads made in between, such as what the gateway keeps for
// a database outage (lib/db/last-known.ts) right after a registry's activation.
const ORIGIN_PREFIX = '@origin:';
const origin = (g.canopyOrigin ??= `${ORIGIN_PREFIX}${randomUUID()}`);

/** Inside a transaction: NOTIFY other instances (PostgreSQL delivers it when the tx commits). */
export function notifySql(registries: string[]): string {
  return JSON.stringify([origin, ...new Set(registries)]).slice(0, 7900);
}

/** The registries a NOTIFY payload names; none when this process sent it. */
export function notifiedRegistries(payload: string): string[] {
  const names = JSON.parse(payload) as string[];
  if (names[0] === origin) return [];
  return names.filter((n) => !n.startsWith(ORIGIN_PREFIX));
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
        for (const r of notifiedRegistries(n.payload ?? '[]')) bus.emit('change', r);
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

// The last value each read returned, for answering from memory while the database cannot be
// reached (see ./outage.ts). Values are kept per cloud registry and dropped the moment a change
// to it is announced (and all of them when EVERYTHING is), so what is kept is never older than
// the last change this instance heard of — which is also why reads whose every change is
// announced may be answered from memory at any time (`currentKnown`). A value that is one
// connected registry's (`of`: its row, its configuration) is also dropped by a change announced
// as concerning that registry alone; such a change leaves every other value in place.
import { EVERYTHING, onChange } from './change-feed';
import { DatabaseUnavailableError, answeringFromMemory, noteDatabaseFailure, noteDatabaseReachable, outageSince } from './outage';

const MAX_ENTRIES = 20_000;
type Kept = { value: unknown; of?: string };
const g = globalThis as unknown as { canopyLastKnown?: { values: Map<string, Map<string, Kept>>; subscribed: boolean } };
const memory = (g.canopyLastKnown ??= { values: new Map(), subscribed: false });
let entries = 0;
// a read that raced with a change announcement is answered but not remembered
let generation = 0;

function subscribe() {
  if (memory.subscribed) return;
  memory.subscribed = true;
  onChange((registry, only) => {
    generation += 1;
    if (registry === EVERYTHING) {
      memory.values.clear();
      entries = 0;
    } else if (only) {
      const values = memory.values.get(registry.toLowerCase());
      for (const [key, kept] of values ?? []) {
        if (kept.of === undefined || !only.has(kept.of)) continue;
        values!.delete(key);
        entries -= 1;
      }
    } else {
      entries -= memory.values.get(registry.toLowerCase())?.size ?? 0;
      memory.values.delete(registry.toLowerCase());
    }
  });
}

/**
 * Reads through `load` while the database answers, remembering the value under (cloud registry,
 * key). In an outage of at most a minute, answers the remembered value without asking the
 * database; with nothing remembered (or after that minute), an unreachable database is a
 * DatabaseUnavailableError (503).
 */
export async function lastKnown<T>(registry: string, key: string, load: () => Promise<T>): Promise<T> {
  return remembered(registry, key, load, (v) => v !== null && v !== undefined);
}

/**
 * Like lastKnown, but a kept value is answered whenever the memory may answer: outside an outage
 * too (it is dropped the moment a change to its cloud registry is announced, here or through
 * NOTIFY), not past a minute of outage. For reads whose every change is announced — the same
 * announcements that wake the gateway's long polls: a poll that asks again after a change, or
 * every minute, then costs no query.
 */
export async function currentKnown<T>(registry: string, key: string, load: () => Promise<T>, of?: string): Promise<T> {
  return remembered(registry, key, load, (v) => v !== null && v !== undefined, outageSince() === null, of);
}

/** Whether a value is kept under (cloud registry, key). */
export function isKnown(registry: string, key: string): boolean {
  return memory.values.get(registry.toLowerCase())?.has(key) ?? false;
}

/** The change announcements heard so far: read it before a read, hand it to `rememberRead` after. */
export function changesHeard(): number {
  subscribe();
  return generation;
}

/**
 * Keeps a value read elsewhere (in a batch), unless a change was announced since `heardBefore`;
 * `of`: the connected registry (lowercase) it is one of (see currentKnown).
 */
export function rememberRead(registry: string, key: string, value: unknown, heardBefore: number, of?: string): void {
  if (heardBefore !== generation || value === null || value === undefined) return;
  keepValue(registry.toLowerCase(), key, value, of);
}

async function remembered<T>(
  registry: string,
  key: string,
  load: () => Promise<T>,
  keep: (value: T) => boolean,
  fromMemory = false,
  of?: string,
): Promise<T> {
  subscribe();
  const scope = registry.toLowerCase();
  const known = memory.values.get(scope);
  if ((fromMemory || answeringFromMemory()) && known?.has(key)) return known.get(key)!.value as T;
  const before = generation;
  let value: T;
  try {
    value = await load();
  } catch (error) {
    if (!noteDatabaseFailure(error)) throw error;
    if (answeringFromMemory() && known?.has(key)) return known.get(key)!.value as T;
    throw new DatabaseUnavailableError();
  }
  noteDatabaseReachable();
  // a miss is not kept: names that do not exist must not crowd out the ones that do
  if (before !== generation || !keep(value)) return value;
  keepValue(scope, key, value, of);
  return value;
}

function keepValue(scope: string, key: string, value: unknown, of?: string): void {
  if (entries >= MAX_ENTRIES) {
    memory.values.clear();
    entries = 0;
  }
  let values = memory.values.get(scope);
  if (!values) memory.values.set(scope, (values = new Map()));
  if (!values.has(key)) entries += 1;
  values.set(key, { value, of });
}

// The last value each read returned, for answering from memory while the database cannot be
// reached (see ./outage.ts). Values are kept per cloud registry and dropped the moment a change
// to it is announced (and all of them when EVERYTHING is), so what is kept is never older than
// the last change this instance heard of.
import { EVERYTHING, onChange } from './change-feed';
import { DatabaseUnavailableError, answeringFromMemory, noteDatabaseFailure, noteDatabaseReachable } from './outage';

const MAX_ENTRIES = 20_000;
const g = globalThis as unknown as { canopyLastKnown?: { values: Map<string, Map<string, unknown>>; subscribed: boolean } };
const memory = (g.canopyLastKnown ??= { values: new Map(), subscribed: false });
let entries = 0;
// a read that raced with a change announcement is answered but not remembered
let generation = 0;

function subscribe() {
  if (memory.subscribed) return;
  memory.subscribed = true;
  onChange((registry) => {
    generation += 1;
    if (registry === EVERYTHING) {
      memory.values.clear();
      entries = 0;
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

async function remembered<T>(registry: string, key: string, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
  subscribe();
  const scope = registry.toLowerCase();
  const known = memory.values.get(scope);
  if (answeringFromMemory() && known?.has(key)) return known.get(key) as T;
  const before = generation;
  let value: T;
  try {
    value = await load();
  } catch (error) {
    if (!noteDatabaseFailure(error)) throw error;
    if (answeringFromMemory() && known?.has(key)) return known.get(key) as T;
    throw new DatabaseUnavailableError();
  }
  noteDatabaseReachable();
  // a miss is not kept: names that do not exist must not crowd out the ones that do
  if (before !== generation || !keep(value)) return value;
  if (entries >= MAX_ENTRIES) {
    memory.values.clear();
    entries = 0;
  }
  let values = memory.values.get(scope);
  if (!values) memory.values.set(scope, (values = new Map()));
  if (!values.has(key)) entries += 1;
  values.set(key, value);
  return value;
}

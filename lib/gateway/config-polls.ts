// The configuration long polls this instance holds, gathered per cloud registry. A change to a
// cloud registry (announced after commit, here or through NOTIFY) starts one rebuild of the
// configurations of every registry with a poll waiting — in a few batched queries, each
// configuration built once however many polls wait for it — and wakes only the polls whose
// configuration changed; the others go on waiting. A change announced as concerning some
// connected registries alone (their log level, the client tokens one accepts: see
// lib/db/change-feed.ts) rebuilds their configurations alone. Announcements that arrive during a
// rebuild are folded into one more rebuild after it.
import { EVERYTHING, onChange } from '@/lib/db/change-feed';

export type BuiltConfig<C> = { config: C; etag: string };
export type CloudRef = { id: string; name: string; loginServer: string; dataEndpoint: string };
export type RegistryRef = { id: string; name: string };
/**
 * Builds the configurations of these registries of one cloud registry; a registry left out of the
 * answer is gone. A build made in batches hands each batch to `onBatch` as soon as it is built, so
 * that the polls waiting for it are answered while the next batch is read.
 */
export type BuildConfigs<C> = (
  cloud: CloudRef,
  registryIds: string[],
  onBatch?: (batch: Map<string, BuiltConfig<C>>) => void,
) => Promise<Map<string, BuiltConfig<C>>>;
/**
 * Reads ahead, beside the build, what the polls of these registries read when they ask again
 * once woken (their registries, the sync tokens they authenticate with), so that thousands of
 * them asking at once cost no query each.
 */
export type ReadAhead = (cloud: CloudRef, registries: RegistryRef[], syncTokens: string[]) => Promise<void>;

/** What a waiting poll is woken with: its new configuration, or `recheck` (its registry is gone: read it again to answer). */
export type Wakeup<C> = BuiltConfig<C> | 'recheck';

type Poll<C> = { etag: string; seq: number; syncToken?: string; woken?: Wakeup<C>; wake?: (w: Wakeup<C>) => void };
type RegistryPolls<C> = { name: string; polls: Set<Poll<C>> };
type CloudPolls<C> = {
  cloud: CloudRef;
  byRegistry: Map<string, RegistryPolls<C>>;
  /** registry ids by lowercase name (announcements name registries) */
  idsByName: Map<string, string>;
  running: boolean;
  /** what the next rebuild judges: every waited-for registry, or these (lowercase names) */
  pending: 'all' | Set<string> | null;
};

export type RebuildStats = { cloud: string; polls: number; built: number; woken: number; ms: number };

export function createConfigPolls<C>(
  build: BuildConfigs<C>,
  opts: { onRebuild?: (stats: RebuildStats) => void; readAhead?: ReadAhead } = {},
) {
  const clouds = new Map<string, CloudPolls<unknown>>();
  let subscribed = false;
  let builds = 0;
  let registered = 0;

  function subscribe() {
    if (subscribed) return;
    subscribed = true;
    onChange((registry, only) => {
      if (registry === EVERYTHING) for (const name of clouds.keys()) schedule(name);
      else if (clouds.has(registry)) schedule(registry, only);
    });
  }

  function schedule(name: string, only?: ReadonlySet<string>) {
    const entry = clouds.get(name);
    if (!entry) return;
    if (!only) entry.pending = 'all';
    else if (entry.pending !== 'all') entry.pending = new Set([...(entry.pending ?? []), ...only]);
    if (entry.running) return;
    entry.running = true;
    // announcements of the same turn (a burst of commits) are folded into one rebuild
    setImmediate(() => void rebuild(name, entry as CloudPolls<C>));
  }

  async function rebuild(name: string, entry: CloudPolls<C>) {
    const started = performance.now();
    let stats: RebuildStats | undefined;
    try {
      const pending = entry.pending;
      entry.pending = null;
      // Only the polls registered before the build starts are judged by it: what it reads is
      // then never older than what their clients hold (the ETag they sent). A poll registered
      // later read the configuration itself after registering; a change after that read is
      // announced again and judged by the next rebuild.
      const seqAtStart = registered;
      const ids =
        pending === 'all'
          ? [...entry.byRegistry.keys()]
          : [...(pending ?? [])].map((n) => entry.idsByName.get(n)).filter((id): id is string => id !== undefined);
      if (ids.length) {
        const registries: RegistryRef[] = [];
        const syncTokens = new Set<string>();
        for (const id of ids) {
          const waiting = entry.byRegistry.get(id)!;
          registries.push({ id, name: waiting.name });
          for (const poll of waiting.polls) if (poll.syncToken) syncTokens.add(poll.syncToken);
        }
        let woken = 0;
        let polls = 0;
        const judged = new Set<string>();
        // wakes the polls of these registries whose configuration changed (`undefined`: the registry is gone)
        const judge = (batch: Iterable<[string, BuiltConfig<C> | undefined]>) => {
          for (const [id, current] of batch) {
            if (judged.has(id)) continue;
            judged.add(id);
            const waiting = entry.byRegistry.get(id);
            if (!waiting) continue;
            for (const poll of waiting.polls) {
              polls += 1;
              if (poll.woken || poll.seq > seqAtStart) continue;
              if (current && current.etag === poll.etag) continue;
              woken += 1;
              poll.woken = current ?? 'recheck';
              poll.wake?.(poll.woken);
            }
          }
        };
        // No poll is woken before the read-ahead is done (it would read for itself); after that,
        // each batch as soon as it is built.
        let readAheadDone = !opts.readAhead;
        const early: Map<string, BuiltConfig<C>>[] = [];
        const readAhead = opts.readAhead
          ? opts.readAhead(entry.cloud, registries, [...syncTokens]).then(
              () => undefined,
              // a failed read-ahead costs the polls a query each when they ask again, nothing more
              (error: unknown) => console.error(`gateway: could not read ahead for the polls waiting in ${name}`, error),
            )
          : Promise.resolve();
        const released = readAhead.then(() => {
          readAheadDone = true;
          for (const batch of early.splice(0)) judge(batch);
        });
        const built = await build(entry.cloud, ids, (batch) => {
          if (readAheadDone) judge(batch);
          else early.push(batch);
        });
        await released;
        builds += built.size;
        judge(built);
        judge(ids.map((id) => [id, undefined]));
        stats = { cloud: name, polls, built: built.size, woken, ms: performance.now() - started };
      }
    } catch (error) {
      // the polls go on waiting (and answer 304 at their deadline); the next change rebuilds
      console.error(`gateway: could not rebuild the configurations waited for in ${name}`, error);
    } finally {
      entry.running = false;
      if (stats) opts.onRebuild?.(stats);
      if (entry.pending) {
        const again = entry.pending;
        entry.pending = null;
        schedule(name, again === 'all' ? undefined : again);
      } else if (!entry.byRegistry.size) clouds.delete(name);
    }
  }

  /**
   * Registers a poll for a registry's configuration, before its current configuration is read
   * (so that a change between that read and the wait is not missed). `wait` resolves with the
   * configuration when a rebuild finds it different from `clientEtag` (the If-None-Match the
   * client sent), or null at the deadline or when `signal` aborts; `close` must be called when
   * the request ends. `syncToken`: the name the poll authenticated with, read ahead for it.
   */
  function hold(cloud: CloudRef, registry: RegistryRef, clientEtag: string, syncToken?: string) {
    subscribe();
    let entry = clouds.get(cloud.name) as CloudPolls<C> | undefined;
    if (!entry) {
      entry = { cloud, byRegistry: new Map(), idsByName: new Map(), running: false, pending: null };
      clouds.set(cloud.name, entry as CloudPolls<unknown>);
    }
    const held = entry;
    const poll: Poll<C> = { etag: clientEtag, seq: (registered += 1), syncToken };
    let waiting = held.byRegistry.get(registry.id);
    if (!waiting) {
      held.byRegistry.set(registry.id, (waiting = { name: registry.name, polls: new Set() }));
      held.idsByName.set(registry.name.toLowerCase(), registry.id);
    }
    waiting.polls.add(poll);
    return {
      wait(timeoutMs: number, signal?: AbortSignal): Promise<Wakeup<C> | null> {
        if (poll.woken) return Promise.resolve(poll.woken);
        return new Promise((resolve) => {
          const finish = (value: Wakeup<C> | null) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            poll.wake = undefined;
            resolve(value);
          };
          const onAbort = () => finish(null);
          const timer = setTimeout(() => finish(null), timeoutMs);
          signal?.addEventListener('abort', onAbort, { once: true });
          poll.wake = finish;
          if (signal?.aborted) finish(null);
        });
      },
      close() {
        waiting.polls.delete(poll);
        if (!waiting.polls.size && held.byRegistry.get(registry.id) === waiting) {
          held.byRegistry.delete(registry.id);
          held.idsByName.delete(registry.name.toLowerCase());
        }
        if (!held.byRegistry.size && !held.running && clouds.get(cloud.name) === held) clouds.delete(cloud.name);
      },
    };
  }

  return {
    hold,
    /** configurations built by rebuilds so far (for benchmarks and tests) */
    builds: () => builds,
    /** polls held now */
    held: () => [...clouds.values()].reduce((n, c) => n + [...c.byRegistry.values()].reduce((m, r) => m + r.polls.size, 0), 0),
  };
}

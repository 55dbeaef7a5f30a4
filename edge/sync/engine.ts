// The sync engine: makes the edge's registry hold what its parent holds for each repository of the
// configuration (down), and, for a ReadWrite registry, copies what was pushed to the edge up to
// the parent (up). Everything is by digest, so work is idempotent: a stopped or failed run costs
// the next one only what was not copied yet.
//
// The rule for each tag, from the parent's and the edge's digest now and as of the last
// successful run (the record kept in the data dir, `sync-state.json`):
// - same digest on both sides: nothing to do;
// - ReadOnly: the parent's is copied to the edge, a tag the parent no longer has is deleted;
// - ReadWrite, changed on one side only since the last run: that side's goes to the other (a tag
//   deleted at the parent and unchanged at the edge is deleted at the edge; a tag deleted at the
//   edge comes back from the parent: deletions do not go up);
// - ReadWrite, changed on both sides (or different on both with no record): the parent's wins at
//   the edge, the edge's is kept under `<tag>-edge-<first 12 hex of its digest>` at the edge and
//   copied up under that tag too, and the conflict is reported.
import type { Manifest } from './oci-client';
import { copyBlob, UploadSessions } from './blob-copy';
import { checkDigest, isIndex, type RegistryClient } from './oci-client';
import { setMaxListeners } from 'node:events';
import { eachLimited, retry, Semaphore, StoppedError, type RetryPolicy, DEFAULT_RETRY } from './work';

export type Direction = 'down' | 'up';
export type DirectionCounts = { tags: number; tagsDeleted: number; blobs: number; bytes: number };
export type RepositoryResult = { name: string; down: DirectionCounts; up: DirectionCounts; error: string | null };
export type Conflict = { repository: string; tag: string; parentDigest: string; edgeDigest: string; keptAs: string | null };
export type TagMap = Record<string, string>;
export type RepositoryState = { parent: TagMap; edge: TagMap; syncedAt: string };
export type SyncState = { repositories: Record<string, RepositoryState> };

export type StateStore = { load(): SyncState; save(state: SyncState): void };

export type SyncOptions = {
  mode: 'ReadWrite' | 'ReadOnly';
  repositories: string[];
  /** blobs copied at once (default 4) */
  concurrency?: number;
  retry?: RetryPolicy;
  /** upload sessions of blobs cut off mid-copy, kept across runs (default: this run's alone) */
  uploads?: UploadSessions;
};

export type Progress = { repositories: RepositoryResult[]; conflicts: Conflict[] };
export type Outcome = Progress & { status: 'Succeeded' | 'Failed' | 'Stopped'; error: string | null };

const zero = (): DirectionCounts => ({ tags: 0, tagsDeleted: 0, blobs: 0, bytes: 0 });
export const conflictTag = (tag: string, edgeDigest: string) =>
  `${tag}-edge-${edgeDigest.slice('sha256:'.length, 'sha256:'.length + 12)}`.slice(0, 128);

/** Promise.all that waits for every promise to settle before it throws the first failure. */
async function settled<T extends unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Side = { client: RegistryClient; name: 'parent' | 'edge' };

export class SyncRun {
  readonly progress: Progress = { repositories: [], conflicts: [] };
  private readonly blobs: Semaphore;
  private readonly policy: RetryPolicy;
  private readonly uploads: UploadSessions;
  /** copies in flight, by destination and digest: two tags sharing a layer copy it once */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** where a blob is known to be, per side: a source for cross-repository mounts */
  private readonly known = { parent: new Map<string, string>(), edge: new Map<string, string>() };
  /** the run's signal, or the repository's: the first failure in a repository stops its other work */
  private signal: AbortSignal;
  private failure: { error: unknown; abort: AbortController } | null = null;

  constructor(
    private readonly parent: RegistryClient,
    private readonly edge: RegistryClient,
    private readonly store: StateStore,
    private readonly options: SyncOptions,
    private readonly runSignal: AbortSignal,
    private readonly onChange: () => void = () => {},
    private readonly onRetry: (error: unknown, attempt: number) => void = () => {},
  ) {
    this.blobs = new Semaphore(Math.max(1, options.concurrency ?? 4));
    setMaxListeners(0, runSignal); // every request in flight listens to it
    this.signal = runSignal;
    this.policy = options.retry ?? DEFAULT_RETRY;
    this.uploads = options.uploads ?? new UploadSessions();
  }

  /** Tries again after transient failures; a failure for good stops the repository's other work at once. */
  private async retry<T>(fn: () => Promise<T>): Promise<T> {
    const signal = this.signal;
    try {
      return await retry(fn, signal, this.policy, this.onRetry);
    } catch (error) {
      if (!signal.aborted && this.failure && !(error instanceof StoppedError)) {
        this.failure.error ??= error;
        this.failure.abort.abort();
      }
      throw error;
    }
  }

  /** Every repository in turn; a repository that fails does not stop the others. */
  async run(): Promise<Outcome> {
    const state = this.store.load();
    let lastError: string | null = null;
    for (const name of this.options.repositories) {
      if (this.runSignal.aborted) break;
      const result: RepositoryResult = { name, down: zero(), up: zero(), error: null };
      this.progress.repositories.push(result);
      const abort = new AbortController();
      this.failure = { error: null, abort };
      this.signal = AbortSignal.any([this.runSignal, abort.signal]);
      setMaxListeners(0, this.signal);
      try {
        await this.repository(name, result, state);
      } catch (error) {
        if (this.runSignal.aborted) break;
        // the first failure, not the work it stopped
        result.error = message(this.failure.error ?? error);
        lastError = `${name}: ${result.error}`;
      } finally {
        this.store.save(state);
        this.onChange();
      }
    }
    const status = this.runSignal.aborted ? 'Stopped' : lastError ? 'Failed' : 'Succeeded';
    return { ...this.progress, status, error: status === 'Stopped' ? (lastError ?? null) : lastError };
  }

  /** Each tag's digest on one side (HEAD each: a no-change run costs a HEAD per tag and side). */
  private async tagMap(side: Side, repo: string): Promise<TagMap> {
    const tags = await this.retry(() => side.client.tags(repo, this.signal));
    const map: TagMap = {};
    await eachLimited(tags, 8, async (tag) => {
      const digest = await this.retry(() => side.client.manifestDigest(repo, tag, undefined, this.signal));
      if (digest) map[tag] = digest;
    });
    return map;
  }

  private async repository(repo: string, result: RepositoryResult, state: SyncState) {
    const readWrite = this.options.mode === 'ReadWrite';
    const [parentTags, edgeTags] = await settled([
      this.tagMap({ client: this.parent, name: 'parent' }, repo),
      this.tagMap({ client: this.edge, name: 'edge' }, repo),
    ]);
    const record: RepositoryState = (state.repositories[repo] ??= { parent: {}, edge: {}, syncedAt: new Date(0).toISOString() });
    const settle = (tag: string, parentDigest: string | undefined, edgeDigest: string | undefined) => {
      if (parentDigest) record.parent[tag] = parentDigest;
      else delete record.parent[tag];
      if (edgeDigest) record.edge[tag] = edgeDigest;
      else delete record.edge[tag];
    };

    const down: string[] = [];
    const up: string[] = [];
    const deleteAtEdge: string[] = [];
    const conflicts: string[] = [];
    for (const tag of new Set([...Object.keys(parentTags), ...Object.keys(edgeTags)])) {
      const p = parentTags[tag];
      const e = edgeTags[tag];
      if (p === e) {
        settle(tag, p, e);
        continue;
      }
      if (!readWrite) {
        (p ? down : deleteAtEdge).push(tag);
        continue;
      }
      const parentChanged = p !== record.parent[tag];
      const edgeChanged = e !== record.edge[tag];
      if (!e)
        down.push(tag); // new at the parent, or deleted at the edge: deletions do not go up
      else if (!p) (parentChanged && !edgeChanged ? deleteAtEdge : up).push(tag);
      else if (edgeChanged && !parentChanged) up.push(tag);
      else if (parentChanged && !edgeChanged) down.push(tag);
      else conflicts.push(tag);
    }

    // conflicts first: the edge's version gets its own tag before the parent's takes the name
    for (const tag of conflicts) {
      const edgeDigest = edgeTags[tag];
      const keptAs = conflictTag(tag, edgeDigest);
      const manifest = await this.retry(() => this.edge.manifest(repo, edgeDigest, this.signal));
      await this.retry(() => this.edge.putManifest(repo, keptAs, manifest, this.signal));
      edgeTags[keptAs] = edgeDigest;
      if (parentTags[keptAs] !== edgeDigest) up.push(keptAs);
      this.progress.conflicts.push({ repository: repo, tag, parentDigest: parentTags[tag], edgeDigest, keptAs });
      down.push(tag);
    }

    const parentSide: Side = { client: this.parent, name: 'parent' };
    const edgeSide: Side = { client: this.edge, name: 'edge' };
    // tags at a time; blobs are bounded by the semaphore across all of them
    await eachLimited(down, 4, async (tag) => {
      const digest = parentTags[tag];
      await this.copyImage(parentSide, edgeSide, repo, digest, tag, result.down);
      result.down.tags++;
      edgeTags[tag] = digest;
      settle(tag, digest, digest);
      this.onChange();
    });
    await eachLimited(up, 4, async (tag) => {
      const digest = edgeTags[tag];
      await this.copyImage(edgeSide, parentSide, repo, digest, tag, result.up);
      result.up.tags++;
      parentTags[tag] = digest;
      settle(tag, digest, digest);
      this.onChange();
    });
    if (deleteAtEdge.length) await this.deleteTags(repo, deleteAtEdge, edgeTags, result, settle);
    record.syncedAt = new Date().toISOString();
  }

  /**
   * distribution cannot delete a tag, only a manifest by digest (which removes every tag on it):
   * delete the digest, then put the manifest back for the tags that stay. A digest that a kept
   * index still names as a child is not deleted (the tags go, the manifest stays).
   */
  private async deleteTags(
    repo: string,
    tags: string[],
    edgeTags: TagMap,
    result: RepositoryResult,
    settle: (tag: string, p: string | undefined, e: string | undefined) => void,
  ) {
    const gone = new Set(tags);
    const byDigest = new Map<string, string[]>();
    for (const tag of tags) byDigest.set(edgeTags[tag], [...(byDigest.get(edgeTags[tag]) ?? []), tag]);
    const kept = Object.entries(edgeTags).filter(([tag]) => !gone.has(tag));
    // the children of every index kept at the edge: those manifests must stay
    const needed = new Set<string>();
    for (const digest of new Set(kept.map(([, d]) => d))) {
      const manifest = await this.retry(() => this.edge.manifest(repo, digest, this.signal));
      if (isIndex(manifest.mediaType)) for (const child of manifest.parsed.manifests ?? []) needed.add(child.digest);
    }
    for (const [digest, deleting] of byDigest) {
      const manifest = await this.retry(() => this.edge.manifest(repo, digest, this.signal));
      await this.retry(() => this.edge.deleteManifest(repo, digest, this.signal));
      const remaining = kept.filter(([, d]) => d === digest).map(([tag]) => tag);
      // put back: the tags that stay on this digest, or the digest itself when an index needs it
      for (const tag of remaining) await this.retry(() => this.edge.putManifest(repo, tag, manifest, this.signal));
      if (!remaining.length && needed.has(digest)) await this.retry(() => this.edge.putManifest(repo, digest, manifest, this.signal));
      for (const tag of deleting) {
        delete edgeTags[tag];
        settle(tag, undefined, undefined);
        result.down.tagsDeleted++;
      }
      this.onChange();
    }
  }

  /** A manifest and everything it names (an index's child manifests and their blobs), then its tag. */
  private async copyImage(from: Side, to: Side, repo: string, digest: string, tag: string | null, counts: DirectionCounts): Promise<void> {
    checkDigest(digest);
    const manifest: Manifest = await this.retry(() => from.client.manifest(repo, digest, this.signal));
    if (isIndex(manifest.mediaType)) {
      await eachLimited(manifest.parsed.manifests ?? [], 4, async (child) => {
        if (await this.retry(() => to.client.manifestDigest(repo, checkDigest(child.digest), undefined, this.signal))) return;
        await this.copyImage(from, to, repo, child.digest, null, counts);
      });
    } else {
      const blobs = [manifest.parsed.config, ...(manifest.parsed.layers ?? []), ...(manifest.parsed.blobs ?? [])].filter(
        (d): d is NonNullable<typeof d> => Boolean(d),
      );
      // all settled before the manifest goes (or the failure is thrown): no copy outlives its run
      await eachLimited(blobs, blobs.length || 1, (blob) => this.copyBlob(from, to, repo, checkDigest(blob.digest), blob.size, counts));
    }
    await this.retry(() => to.client.putManifest(repo, tag ?? digest, manifest, this.signal));
    if (!tag) counts.blobs++; // a child manifest counts as copied content
  }

  private copyBlob(from: Side, to: Side, repo: string, digest: string, size: number, counts: DirectionCounts): Promise<void> {
    const key = `${to.name}/${repo}@${digest}`;
    let copy = this.inFlight.get(key);
    if (!copy) {
      copy = this.blobs.run(() => this.copyBlobNow(from, to, repo, digest, size, counts));
      this.inFlight.set(key, copy);
      copy.catch(() => this.inFlight.delete(key));
    }
    return copy;
  }

  private async copyBlobNow(from: Side, to: Side, repo: string, digest: string, size: number, counts: DirectionCounts): Promise<void> {
    if (await this.retry(() => to.client.hasBlob(repo, digest, this.signal))) {
      this.known[to.name].set(digest, repo);
      this.uploads.delete(`${to.name}:${repo}@${digest}`); // it came another way
      return;
    }
    const elsewhere = this.known[to.name].get(digest);
    if (elsewhere && elsewhere !== repo && (await this.retry(() => to.client.mountBlob(repo, digest, elsewhere, this.signal)))) {
      this.known[to.name].set(digest, repo);
      return;
    }
    await this.retry(() =>
      copyBlob({
        from: from.client,
        to: to.client,
        repo,
        digest,
        size: Number.isSafeInteger(size) && size >= 0 ? size : null,
        sessions: this.uploads,
        key: `${to.name}:${repo}@${digest}`,
        signal: this.signal,
        onBytes: (bytes) => (counts.bytes += bytes),
      }),
    );
    this.known[to.name].set(digest, repo);
    counts.blobs++;
    this.onChange();
  }
}

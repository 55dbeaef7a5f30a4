// The sync engine against real software: Debian's docker-registry as the cloud registry trusting
// Canopy's token service (the connected registry's sync token gets its tokens there), another
// docker-registry standing in for the edge's own (trusting a key made here), and skopeo pushing
// images made here: random layers, a base layer shared by every image, one multi-platform index.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestDatabase } from '@/test/db';
import { skopeo } from '@/test/registry-interop';
import { SyncRun, type Outcome, type SyncOptions } from './engine';
import { basicRealmAuthorize, RegistryClient } from './oci-client';
import { UploadSessions } from './blob-copy';
import { MemoryStateStore } from './state';
import { MiB, syncFixture, type SyncFixture } from './test-fixture';
import { blobProxy, edgeLikeRegistry } from './test-registries';

const haveTools = existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo');

describe.skipIf(!haveTools)('the sync engine with docker-registry, Canopy’s token service and skopeo', () => {
  setupTestDatabase();
  let f: SyncFixture;
  let edge: Awaited<ReturnType<typeof edgeLikeRegistry>>;
  const push = (ref: string, to: string) => f.push(ref, to);
  const parentClient = () => f.parentClient();
  const digestAt = async (client: RegistryClient, repo: string, tag: string) => client.manifestDigest(repo, tag);
  const sync = async (
    options: Partial<SyncOptions> & { signal?: AbortSignal; onChange?: (run: SyncRun) => void; parent?: RegistryClient } = {},
  ) => {
    const parent = options.parent ?? parentClient();
    const local = edge.client();
    const run: SyncRun = new SyncRun(
      parent,
      local,
      store,
      { mode: 'ReadWrite', repositories: ['apps/web', 'apps/api'], uploads, ...options },
      options.signal ?? new AbortController().signal,
      () => options.onChange?.(run),
    );
    const outcome = await run.run();
    parent.close();
    local.close();
    return { outcome, parent };
  };
  const store = new MemoryStateStore();
  /** upload sessions of blobs cut off mid-copy, kept from run to run as the edge keeps them */
  const uploads = new UploadSessions();
  const total = (o: Outcome, dir: 'down' | 'up', key: 'tags' | 'tagsDeleted' | 'blobs' | 'bytes') =>
    o.repositories.reduce((n, r) => n + r[dir][key], 0);
  /** the blobs of repo:tag at the cloud that the edge's repo lacks */
  const missingAtEdge = async (repo: string, tag: string) => {
    const cloudClient = parentClient();
    const local = edge.client();
    const m = await cloudClient.manifest(repo, tag);
    let missing = 0;
    for (const b of [m.parsed.config!, ...m.parsed.layers!]) if (!(await local.hasBlob(repo, b.digest))) missing++;
    cloudClient.close();
    local.close();
    return missing;
  };

  beforeAll(async () => {
    f = await syncFixture();
    edge = await edgeLikeRegistry();
    await push('one', 'apps/web:1.0');
    await push('two', 'apps/web:2.0');
    await push('two', 'apps/web:stable'); // two tags on one digest
    await push('multi', 'apps/web:multi');
    await push('one', 'apps/api:1.0'); // the same blobs in another repository
  }, 180_000);

  afterAll(async () => {
    await edge?.registry.stop();
    await f?.close();
  });

  it('down: every tag of every repository reaches the edge with the same digests, the index with its children; shared blobs are copied once per repository', async () => {
    const { outcome, parent } = await sync();
    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe('Succeeded');
    const local = edge.client();
    const cloudClient = parentClient();
    for (const [repo, tag] of [
      ['apps/web', '1.0'],
      ['apps/web', '2.0'],
      ['apps/web', 'stable'],
      ['apps/web', 'multi'],
      ['apps/api', '1.0'],
    ]) {
      expect(await digestAt(local, repo, tag), `${repo}:${tag}`).toBe(await digestAt(cloudClient, repo, tag));
    }
    expect(total(outcome, 'down', 'tags')).toBe(5);
    // web: base, 1.0's and 2.0's layers and configs, the two platforms' layers and configs (+2 child manifests)
    const web = outcome.repositories.find((r) => r.name === 'apps/web')!;
    expect(web.down.blobs).toBe(1 + 2 * 2 + 2 * 2 + 2);
    expect(web.down.bytes).toBeGreaterThan(2 * MiB + 2 * MiB);
    // apps/api's blobs are mounted from apps/web at the edge: read from the parent once
    expect(parent.counts.get('GET blob')).toBe(9);
    expect(outcome.repositories.find((r) => r.name === 'apps/api')!.down.bytes).toBe(0);
    // a client pulls the whole multi-platform image from the edge
    const token = await edge.token(['repository:apps/web:pull']);
    const pulled = await skopeo([
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--src-registry-token',
      token,
      `docker://${edge.registry.host}/apps/web:multi`,
      `oci:${mkdtempSync(join(tmpdir(), 'canopy-pull-'))}:x`,
    ]);
    expect(pulled.ok, pulled.output).toBe(true);
    local.close();
    cloudClient.close();
  }, 120_000);

  it('a second run with nothing changed copies nothing and reads no blob', async () => {
    const { outcome, parent } = await sync();
    expect(outcome.status).toBe('Succeeded');
    for (const key of ['tags', 'tagsDeleted', 'blobs', 'bytes'] as const)
      expect(total(outcome, 'down', key) + total(outcome, 'up', key)).toBe(0);
    expect(parent.counts.get('GET blob') ?? 0).toBe(0);
    expect(parent.counts.get('GET manifest') ?? 0).toBe(0);
  }, 60_000);

  it('a tag re-pushed at the cloud with new content, and a tag deleted there, reach the edge; the tag sharing the deleted one’s digest stays', async () => {
    await push('three', 'apps/web:1.0');
    const admin = new RegistryClient(`http://${f.cloud.host}`, basicRealmAuthorize('pusher', f.pusher.slice('pusher:'.length)));
    const shared = (await admin.manifestDigest('apps/web', 'stable'))!;
    const manifest = await admin.manifest('apps/web', shared);
    await admin.deleteManifest('apps/web', shared); // distribution deletes both tags on the digest…
    await admin.putManifest('apps/web', '2.0', manifest); // …so 2.0 is put back
    admin.close();

    const { outcome } = await sync();
    expect(outcome.status).toBe('Succeeded');
    const web = outcome.repositories.find((r) => r.name === 'apps/web')!;
    expect(web.down).toMatchObject({ tags: 1, tagsDeleted: 1 });
    const local = edge.client();
    const cloudClient = parentClient();
    expect(await digestAt(local, 'apps/web', '1.0')).toBe(await digestAt(cloudClient, 'apps/web', '1.0'));
    expect(await digestAt(local, 'apps/web', 'stable')).toBeNull();
    expect(await digestAt(local, 'apps/web', '2.0')).toBe(shared);
    expect((await local.tags('apps/web')).sort()).toEqual(['1.0', '2.0', 'multi']);
    local.close();
    cloudClient.close();
  }, 90_000);

  it('up: a tag pushed to a ReadWrite edge reaches the cloud (only the blobs the cloud lacks); a ReadOnly edge sends nothing up', async () => {
    const token = await edge.token(['repository:apps/web:pull,push']);
    const pushed = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      token,
      f.refs.big,
      `docker://${edge.registry.host}/apps/web:from-edge`,
    ]);
    expect(pushed.ok, pushed.output).toBe(true);

    const readOnly = await sync({ mode: 'ReadOnly' });
    // ReadOnly: the parent is the truth, a tag it lacks is deleted at the edge
    expect(readOnly.outcome.repositories.find((r) => r.name === 'apps/web')!.down.tagsDeleted).toBe(1);
    expect(total(readOnly.outcome, 'up', 'tags')).toBe(0);
    const again = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      token,
      f.refs.big,
      `docker://${edge.registry.host}/apps/web:from-edge`,
    ]);
    expect(again.ok, again.output).toBe(true);

    const { outcome } = await sync();
    expect(outcome.status).toBe('Succeeded');
    const web = outcome.repositories.find((r) => r.name === 'apps/web')!;
    expect(web.up.tags).toBe(1);
    expect(web.up.blobs).toBe(7); // six layers and the config: the base layer is at the cloud already
    const cloudClient = parentClient();
    const local = edge.client();
    expect(await digestAt(cloudClient, 'apps/web', 'from-edge')).toBe(await digestAt(local, 'apps/web', 'from-edge'));
    cloudClient.close();
    local.close();
  }, 120_000);

  it('a tag changed on both sides: the cloud’s wins at the edge, the edge’s is kept as <tag>-edge-<digest> on both sides and reported', async () => {
    await push('one', 'apps/api:shared');
    await sync();
    await push('two', 'apps/api:shared');
    const token = await edge.token(['repository:apps/api:pull,push']);
    const pushed = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      token,
      f.refs.three,
      `docker://${edge.registry.host}/apps/api:shared`,
    ]);
    expect(pushed.ok, pushed.output).toBe(true);
    const local = edge.client();
    const cloudClient = parentClient();
    const edgeDigest = (await digestAt(local, 'apps/api', 'shared'))!;
    const cloudDigest = (await digestAt(cloudClient, 'apps/api', 'shared'))!;

    const { outcome } = await sync();
    expect(outcome.status).toBe('Succeeded');
    const keptAs = `shared-edge-${edgeDigest.slice(7, 19)}`;
    expect(outcome.conflicts).toEqual([{ repository: 'apps/api', tag: 'shared', parentDigest: cloudDigest, edgeDigest, keptAs }]);
    expect(await digestAt(local, 'apps/api', 'shared')).toBe(cloudDigest);
    expect(await digestAt(local, 'apps/api', keptAs)).toBe(edgeDigest);
    expect(await digestAt(cloudClient, 'apps/api', keptAs)).toBe(edgeDigest);
    expect(await digestAt(cloudClient, 'apps/api', 'shared')).toBe(cloudDigest);
    // and the next run finds nothing to do
    const next = await sync();
    expect(next.outcome.conflicts).toEqual([]);
    expect(total(next.outcome, 'down', 'tags') + total(next.outcome, 'up', 'tags')).toBe(0);
    local.close();
    cloudClient.close();
  }, 120_000);

  it('the cloud registry stopped mid-run: the run fails with a clear error; the next run copies only what was missing', async () => {
    await push('big', 'apps/api:big');
    let killed: Promise<void> | null = null;
    const first = await sync({
      concurrency: 1,
      retry: { attempts: 2, baseMs: 50, maxMs: 100 },
      onChange: (run) => {
        const api = run.progress.repositories.find((r) => r.name === 'apps/api');
        if (!killed && api && api.down.blobs >= 2) killed = f.cloud.stop('SIGKILL');
      },
    });
    await killed;
    expect(first.outcome.status).toBe('Failed');
    expect(first.outcome.error).toMatch(/^apps\/api: .*(ECONNREFUSED|ECONNRESET|socket hang up|aborted)/);
    expect(first.outcome.repositories.find((r) => r.name === 'apps/api')!.down.blobs).toBeGreaterThanOrEqual(2);

    await f.cloud.start();
    // big has seven blobs apps/api lacked (six layers and its config; the base was there)
    const missing = await missingAtEdge('apps/api', 'big');
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThanOrEqual(5);
    const { outcome, parent } = await sync();
    expect(outcome.status).toBe('Succeeded');
    // only what was missing is read again
    expect(parent.counts.get('GET blob')).toBe(missing);
    const local = edge.client();
    const cloudClient = parentClient();
    expect(await digestAt(local, 'apps/api', 'big')).toBe(await digestAt(cloudClient, 'apps/api', 'big'));
    local.close();
    cloudClient.close();
  }, 120_000);

  it('a window that ends mid-run stops it cleanly (Stopped, no error); the next run completes it without reading again what was copied', async () => {
    const base = await f.layout.randomLayer(MiB);
    f.refs.wide = f.layout.ref(
      'wide',
      f.layout.image([base, ...(await Promise.all([1, 2, 3, 4, 5].map(() => f.layout.randomLayer(2 * MiB))))], 'wide'),
    );
    await push('wide', 'apps/api:wide');
    const window = new AbortController();
    const first = await sync({
      concurrency: 1,
      signal: window.signal,
      onChange: (run) => {
        if (run.progress.repositories.some((r) => r.name === 'apps/api' && r.down.blobs >= 2)) window.abort();
      },
    });
    expect(first.outcome.status).toBe('Stopped');
    expect(first.outcome.error).toBeNull();
    const local = edge.client();
    expect(await digestAt(local, 'apps/api', 'wide')).toBeNull();
    const missing = await missingAtEdge('apps/api', 'wide');
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThanOrEqual(5);

    const { outcome, parent } = await sync();
    expect(outcome.status).toBe('Succeeded');
    expect(parent.counts.get('GET blob')).toBe(missing);
    expect(await digestAt(local, 'apps/api', 'wide')).not.toBeNull();
    local.close();
  }, 120_000);

  it('a blob cut off mid-copy is resumed where it broke off: the next run reads only its missing bytes, a retry in the same run too', async () => {
    // the layer as the cloud holds it (skopeo compresses it on the way)
    const pushedLayer = async (repo: string, tag: string) => {
      const cloudClient = parentClient();
      const manifest = await cloudClient.manifest(repo, tag);
      cloudClient.close();
      return manifest.parsed.layers![0];
    };
    f.refs.cut = f.layout.ref('cut', f.layout.image([await f.layout.randomLayer(6 * MiB)], 'cut'));
    await push('cut', 'apps/web:cut');
    const layer = await pushedLayer('apps/web', 'cut');
    const proxy = await blobProxy(f.cloud.port);
    const viaProxy = () =>
      new RegistryClient(`http://127.0.0.1:${proxy.port}`, basicRealmAuthorize(f.syncToken.name, f.syncToken.password));
    const cutAt = 2 * MiB + 12_345;
    proxy.cutOnce(layer.digest, cutAt);
    const first = await sync({ parent: viaProxy(), retry: { attempts: 1, baseMs: 10, maxMs: 10 } });
    expect(first.outcome.status).toBe('Failed');
    expect(first.outcome.error).toMatch(
      new RegExp(`^apps/web: .*the blob ${layer.digest} of apps/web broke off after ${cutAt} of ${layer.size} bytes`),
    );
    const local = edge.client();
    expect(await local.hasBlob('apps/web', layer.digest)).toBe(false);

    const { outcome } = await sync({ parent: viaProxy() });
    expect(outcome.status).toBe('Succeeded');
    const reads = proxy.reads.filter((r) => r.digest === layer.digest);
    // the second time, only the bytes the first did not bring: from where it broke off
    expect(reads).toEqual([
      { digest: layer.digest, range: null, status: 200, bytes: cutAt },
      { digest: layer.digest, range: `bytes=${cutAt}-`, status: 206, bytes: layer.size - cutAt },
    ]);
    expect(outcome.repositories.find((r) => r.name === 'apps/web')!.down.bytes).toBeLessThan(layer.size - cutAt + MiB);
    expect(await digestAt(local, 'apps/web', 'cut')).toBe(await digestAt(parentClient(), 'apps/web', 'cut'));
    expect(await local.hasBlob('apps/web', layer.digest)).toBe(true);
    expect(uploads.size).toBe(0);

    // cut off again, in another repository: the run's own retry resumes it
    f.refs.cut2 = f.layout.ref('cut2', f.layout.image([await f.layout.randomLayer(3 * MiB)], 'cut2'));
    await push('cut2', 'apps/api:cut2');
    const again = await pushedLayer('apps/api', 'cut2');
    proxy.cutOnce(again.digest, MiB + 1);
    const retried = await sync({ parent: viaProxy(), retry: { attempts: 2, baseMs: 10, maxMs: 10 } });
    expect(retried.outcome.status).toBe('Succeeded');
    expect(proxy.reads.filter((r) => r.digest === again.digest).map((r) => [r.range, r.bytes])).toEqual([
      [null, MiB + 1],
      [`bytes=${MiB + 1}-`, again.size - MiB - 1],
    ]);
    expect(await local.hasBlob('apps/api', again.digest)).toBe(true);
    local.close();
    await proxy.close();
  }, 120_000);
});

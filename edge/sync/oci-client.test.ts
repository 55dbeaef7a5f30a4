// The client's checks against a parent that misbehaves in ways a stock registry does not: a parent
// that pages its tag list with `Link` (distribution 2.8 never does), one that sends bytes that
// do not match their digest or size, and one that ignores `Range` when a cut-off blob is resumed.
// The destination is a real docker-registry: a blob that fails its check never lands there.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBlob, UploadSessions } from './blob-copy';
import { parseChallenge, RegistryClient, RegistryError } from './oci-client';
import { edgeLikeRegistry } from './test-registries';

const haveRegistry = existsSync('/usr/bin/docker-registry');
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('parseChallenge', () => {
  it('reads realm and service of a Bearer challenge; anything else is no challenge', () => {
    expect(parseChallenge('Bearer realm="https://canopy.example/oauth2/token",service="edge01:5000",scope="repository:a:pull"')).toEqual({
      realm: 'https://canopy.example/oauth2/token',
      service: 'edge01:5000',
    });
    expect(parseChallenge('Basic realm="x"')).toBeNull();
    expect(parseChallenge(undefined)).toBeNull();
  });
});

describe.skipIf(!haveRegistry)('RegistryClient against a parent that pages and one that lies', () => {
  let server: http.Server;
  let base: string;
  let edge: Awaited<ReturnType<typeof edgeLikeRegistry>>;
  const blob = Buffer.alloc(2 * 1024 * 1024, 9);
  const blobDigest = sha(blob);
  const plainGets: (string | null)[] = [];
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] });

  beforeAll(async () => {
    // no auth: /v2/ answers 200
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/v2/') return res.end('{}');
      if (url.pathname === '/v2/paged/tags/list') {
        const last = url.searchParams.get('last');
        const pages: Record<string, { tags: string[]; next?: string }> = {
          '': { tags: ['a', 'b'], next: '/v2/paged/tags/list?n=2&last=b' },
          b: { tags: ['c', 'd'], next: '/v2/paged/tags/list?n=2&last=d' },
          d: { tags: ['e'] },
        };
        const page = pages[last ?? ''];
        if (page.next) res.setHeader('Link', `<${page.next}>; rel="next"`);
        return res.end(JSON.stringify({ name: 'paged', tags: page.tags }));
      }
      if (url.pathname === '/v2/liar/manifests/v1') {
        res.setHeader('Content-Type', 'application/vnd.oci.image.manifest.v1+json');
        res.setHeader('Docker-Content-Digest', sha('something else'));
        return res.end(manifest);
      }
      if (url.pathname === `/v2/liar/blobs/${blobDigest}`) {
        // the right size, one byte wrong at the very end
        const wrong = Buffer.from(blob);
        wrong[wrong.length - 1] = 0;
        res.setHeader('Content-Length', String(wrong.length));
        return res.end(wrong);
      }
      if (url.pathname === `/v2/plain/blobs/${blobDigest}`) {
        // the first GET breaks off after 700,001 bytes; every GET ignores Range (200, the whole blob)
        plainGets.push(req.headers.range ?? null);
        res.writeHead(200, { 'Content-Length': String(blob.length) });
        if (plainGets.length > 1) return res.end(blob);
        return void res.write(blob.subarray(0, 700_001), () => res.destroy());
      }
      res.statusCode = 404;
      res.end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    edge = await edgeLikeRegistry();
  }, 60_000);

  afterAll(async () => {
    await edge?.registry.stop();
    await new Promise((r) => server?.close(r));
  });

  it('follows Link through every page of tags', async () => {
    const client = new RegistryClient(base, async () => 'unused');
    expect(await client.tags('paged')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(client.counts.get('GET tags')).toBe(3);
    expect(await client.tags('unknown')).toEqual([]);
    client.close();
  });

  it('refuses a manifest whose bytes do not match the digest the registry names', async () => {
    const client = new RegistryClient(base, async () => 'unused');
    await expect(client.manifest('liar', 'v1')).rejects.toThrow(/arrived with digest .* not sha256:/);
    client.close();
  });

  const copy = (repo: string, to: RegistryClient, sessions: UploadSessions, size = blob.length) =>
    copyBlob({
      from: new RegistryClient(base, async () => 'unused'),
      to,
      repo,
      digest: blobDigest,
      size,
      sessions,
      key: `edge:${repo}@${blobDigest}`,
      signal: new AbortController().signal,
    });

  it.each([
    ['bytes that do not match its digest', 'liar', blob.length, /arrived with digest/],
    ['another size than its descriptor’s', 'liar', blob.length - 1, /is 2097152 bytes, its descriptor says 2097151/],
  ])('a blob with %s never lands at the destination, and its upload is dropped', async (_, repo, size, message) => {
    const local = edge.client();
    const sessions = new UploadSessions();
    const failure = await copy(repo, local, sessions, size).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RegistryError);
    expect((failure as RegistryError).transient).toBe(false);
    expect((failure as RegistryError).message).toMatch(message);
    expect(await local.hasBlob(repo, blobDigest)).toBe(false);
    expect(sessions.size).toBe(0);
    local.close();
  });

  it('resumes a cut-off blob from a parent that ignores Range: the whole blob is hashed again, only the rest is sent on', async () => {
    const local = edge.client();
    const sessions = new UploadSessions();
    const cut = await copy('plain', local, sessions).catch((e: unknown) => e);
    expect((cut as RegistryError).transient).toBe(true);
    expect((cut as RegistryError).message).toMatch(/broke off after 700001 of 2097152 bytes/);
    expect(sessions.get(`edge:plain@${blobDigest}`)?.session.offset).toBe(700_001);
    await copy('plain', local, sessions);
    expect(plainGets).toEqual([null, 'bytes=700001-']);
    expect(sessions.size).toBe(0);
    // distribution took it under its digest: the part already there and the rest, in order
    const stored = await local.openBlob('plain', blobDigest);
    const chunks: Buffer[] = [];
    for await (const c of stored.stream) chunks.push(c as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(blobDigest);
    local.close();
  });
});

// The client's checks against a parent that misbehaves in ways a stock registry does not: a parent
// that pages its tag list with `Link` (distribution 2.8 never does), and one that sends bytes that
// do not match their digest. The destination is a real docker-registry: a blob that fails its
// check never lands there.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestCheck, parseChallenge, RegistryClient, RegistryError } from './oci-client';
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

describe('DigestCheck', () => {
  it('passes a stream that matches its digest and size, whole', async () => {
    const data = Buffer.alloc(300_000, 7);
    const out: Buffer[] = [];
    await pipeline(
      Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]),
      new DigestCheck(sha(data), data.length),
      async (s) => {
        for await (const c of s) out.push(c as Buffer);
      },
    );
    expect(Buffer.concat(out).equals(data)).toBe(true);
  });

  it.each([
    ['other bytes', Buffer.alloc(1000, 1), sha(Buffer.alloc(1000, 2)), 1000, /arrived with digest/],
    [
      'a size other than the descriptor’s',
      Buffer.alloc(1000, 1),
      sha(Buffer.alloc(1000, 1)),
      999,
      /is 1000 bytes, its descriptor says 999/,
    ],
  ])('refuses %s, and never lets the last chunk through', async (_, data, digest, size, message) => {
    const out: Buffer[] = [];
    const chunks = [data.subarray(0, 400), data.subarray(400)];
    await expect(
      pipeline(Readable.from(chunks), new DigestCheck(digest, size), async (s) => {
        for await (const c of s) out.push(c as Buffer);
      }),
    ).rejects.toThrow(message);
    expect(Buffer.concat(out).length).toBeLessThan(data.length);
  });
});

describe.skipIf(!haveRegistry)('RegistryClient against a parent that pages and one that lies', () => {
  let server: http.Server;
  let base: string;
  let edge: Awaited<ReturnType<typeof edgeLikeRegistry>>;
  const blob = Buffer.alloc(2 * 1024 * 1024, 9);
  const blobDigest = sha(blob);
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

  it('a blob whose bytes do not match its digest never lands at the destination', async () => {
    const parent = new RegistryClient(base, async () => 'unused');
    const local = edge.client();
    const source = await parent.openBlob('liar', blobDigest);
    const check = new DigestCheck(blobDigest, blob.length);
    const results = await Promise.allSettled([pipeline(source, check), local.uploadBlob('apps/web', blobDigest, blob.length, check)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RegistryError);
    expect(((results[1] as PromiseRejectedResult).reason as RegistryError).transient).toBe(false);
    expect(((results[1] as PromiseRejectedResult).reason as RegistryError).message).toMatch(/arrived with digest/);
    expect(await local.hasBlob('apps/web', blobDigest)).toBe(false);
    parent.close();
    local.close();
  });
});

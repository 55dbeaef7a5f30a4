// The blob fast path against the real thing: the edge's own docker-registry (configured by
// RegistryProcess, as the edge runs it) holds blobs in two repositories; a server in front of it
// answers blob GETs through BlobFastPath and everything else through a plain proxy. Whatever the
// fast path answers must be what the registry answers (status, headers, bytes), and whatever it
// must not answer goes to the registry.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/lib/free-port';
import { encodeJwtHeader, signEs256Jwt } from '@/lib/token-service/jwt';
import { pemToDerBase64, type KeyMaterial } from '@/lib/token-service/key-material';
import { BlobFastPath, singleRange } from './blob-fast-path';
import { DataDir } from './data-dir';
import { Logger } from './log';
import { RegistryProcess } from './registry-process';

const REGISTRY_BIN = '/usr/bin/docker-registry';
const ISSUER = 'canopy-edge/store01';

describe('singleRange', () => {
  it('reads the plain byte ranges Go serves, and nothing else', () => {
    expect(singleRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(singleRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(singleRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(singleRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    for (const odd of ['bytes=100-', 'bytes=5-2', 'bytes=0-1,5-6', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=x-1'])
      expect(singleRange(odd, 100), odd).toBeNull();
  });
});

describe.skipIf(!existsSync(REGISTRY_BIN))('the blob fast path in front of the edge’s registry', () => {
  const work = mkdtempSync(join(tmpdir(), 'edge-blobs-'));
  const dataDir = new DataDir(join(work, 'data'));
  let registry: RegistryProcess;
  let material: KeyMaterial;
  let fast: BlobFastPath;
  let server: http.Server;
  let edgeBase = '';
  let service = '';
  let direct = '';
  /** blob GETs the fast path answered itself */
  let served = 0;
  const blobs = {
    small: randomBytes(300_000),
    other: randomBytes(200_000),
    large: randomBytes(32 << 20),
  };
  const digest = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

  const token = (access: { name: string; actions: string[] }[], claims: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    const header = encodeJwtHeader({ alg: 'ES256', typ: 'JWT', kid: material.kid, x5c: [pemToDerBase64(material.certificate)] });
    const jwt = signEs256Jwt(createPrivateKey(material.privatePem), header, {
      access: access.map((a) => ({ type: 'repository', ...a })),
      iss: ISSUER,
      sub: 'kiosk',
      aud: service,
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: randomUUID(),
      ...claims,
    });
    return `Bearer ${jwt}`;
  };

  type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
  const get = (url: string, headers: Record<string, string> = {}, method = 'GET', body?: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });

  async function pushBlob(repository: string, blob: Buffer) {
    const auth = { authorization: token([{ name: repository, actions: ['pull', 'push'] }]) };
    const started = await get(`${direct}/v2/${repository}/blobs/uploads/`, auth, 'POST');
    expect(started.status, started.body.toString()).toBe(202);
    const location = new URL(String(started.headers.location), direct);
    location.searchParams.set('digest', digest(blob));
    const put = await get(
      location.toString(),
      { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(blob.length) },
      'PUT',
      blob,
    );
    expect(put.status, put.body.toString()).toBe(201);
  }

  /** The same request through the fast path and to the registry: same status, headers and bytes. */
  async function expectSameAsRegistry(path: string, headers: Record<string, string>) {
    const before = served;
    const counted = { ...fast.counts };
    const [viaEdge, viaRegistry] = [await get(`${edgeBase}${path}`, headers), await get(`${direct}${path}`, headers)];
    expect(served, 'the fast path answered').toBe(before + 1);
    expect(fast.counts).toEqual({ served: counted.served + 1, forwarded: counted.forwarded });
    expect(viaEdge.status).toBe(viaRegistry.status);
    expect(viaEdge.body.equals(viaRegistry.body), 'byte-identical').toBe(true);
    const comparable = (h: http.IncomingHttpHeaders) => {
      const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = h;
      return rest;
    };
    expect(comparable(viaEdge.headers)).toEqual(comparable(viaRegistry.headers));
    return viaEdge;
  }

  beforeAll(async () => {
    dataDir.prepare();
    material = await dataDir.signingKey('blob fast path test');
    const edgePort = await freePort();
    service = `127.0.0.1:${edgePort}`;
    registry = new RegistryProcess(REGISTRY_BIN, dataDir, await freePort(), new Logger('text', () => {}));
    await registry.apply({ loginServer: service, scheme: 'http', issuer: ISSUER, notify: null });
    direct = `http://127.0.0.1:${registry.port}`;
    fast = new BlobFastPath(dataDir.path('registry', 'storage'), material, () => ({ issuer: ISSUER, service }));
    server = http.createServer((req, res) => {
      void fast.serve(req, res).then((answered) => {
        if (answered) return void (served += 1);
        const upstream = http.request(
          { host: '127.0.0.1', port: registry.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode!, answer.headers);
            pipeline(answer, res, () => {});
          },
        );
        pipeline(req, upstream, () => {});
      });
    });
    await new Promise<void>((r) => server.listen(edgePort, '127.0.0.1', r));
    edgeBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await pushBlob('apps/web', blobs.small);
    await pushBlob('apps/web', blobs.large);
    await pushBlob('apps/other', blobs.other);
  }, 180_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('serves a blob of the repository byte-identical to the registry, with the same headers', async () => {
    const auth = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    const answer = await expectSameAsRegistry(`/v2/apps/web/blobs/${digest(blobs.small)}`, auth);
    expect(answer.status).toBe(200);
    expect(answer.headers['docker-content-digest']).toBe(digest(blobs.small));
    expect(answer.body.equals(blobs.small)).toBe(true);
    const large = await get(`${edgeBase}/v2/apps/web/blobs/${digest(blobs.large)}`, auth);
    expect(digest(large.body)).toBe(digest(blobs.large));
  });

  it('answers byte ranges as the registry does', async () => {
    const auth = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    for (const range of ['bytes=100-199', 'bytes=-50', 'bytes=299000-', 'bytes=0-0', 'bytes=299990-400000']) {
      const answer = await expectSameAsRegistry(`/v2/apps/web/blobs/${digest(blobs.small)}`, { ...auth, range });
      expect(answer.status, range).toBe(206);
    }
  });

  it('leaves to the registry a blob of another repository, and every token the registry would refuse', async () => {
    const path = (repository: string, blob: Buffer) => `/v2/${repository}/blobs/${digest(blob)}`;
    const web = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    const refused: [string, Record<string, string>, number][] = [
      // the blob is in storage, but not linked into apps/web: distribution answers 404
      [path('apps/web', blobs.other), web, 404],
      // a blob of apps/other with a token for apps/web alone
      [path('apps/other', blobs.other), web, 401],
      [path('apps/web', blobs.small), {}, 401],
      [path('apps/web', blobs.small), { authorization: token([{ name: 'apps/web', actions: ['push'] }]) }, 401],
      [path('apps/web', blobs.small), { authorization: token([{ name: 'apps/web', actions: ['pull'] }], { iss: 'someone-else' }) }, 401],
      [path('apps/web', blobs.small), { authorization: token([{ name: 'apps/web', actions: ['pull'] }], { aud: 'elsewhere' }) }, 401],
      [path('apps/web', blobs.small), { authorization: token([{ name: 'apps/web', actions: ['pull'] }], { exp: 1000 }) }, 401],
      [path('apps/web', blobs.small), { authorization: `${web.authorization.slice(0, -4)}AAAA` }, 401],
    ];
    for (const [p, headers, status] of refused) {
      const before = served;
      const counted = { ...fast.counts };
      const answer = await get(`${edgeBase}${p}`, headers);
      expect(served, `${p} ${JSON.stringify(headers).slice(0, 80)}`).toBe(before);
      expect(fast.counts).toEqual({ served: counted.served, forwarded: counted.forwarded + 1 });
      expect(answer.status, p).toBe(status);
      expect(answer.body.equals(blobs.other) || answer.body.equals(blobs.small)).toBe(false);
    }
    // a conditional request and a multi-range one go to the registry too
    const unusual: Record<string, string>[] = [{ 'if-none-match': `"${digest(blobs.small)}"` }, { range: 'bytes=0-1,5-6' }];
    for (const extra of unusual) {
      const before = served;
      await get(`${edgeBase}${path('apps/web', blobs.small)}`, { ...web, ...extra });
      expect(served).toBe(before);
    }
  });

  /** the blob files of the registry's storage this process holds open (Linux); the fast path opens one per answer */
  const openBlobFiles = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).includes('/docker/registry/v2/blobs/sha256/');
      } catch {
        return false; // closed meanwhile
      }
    }).length;

  it('closes the blob file after each answer: whole and ranged reads leave no descriptor open', async () => {
    const auth = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    for (let i = 0; i < 2; i++) {
      const whole = await get(`${edgeBase}/v2/apps/web/blobs/${digest(blobs.large)}`, auth);
      expect(whole.body.equals(blobs.large)).toBe(true);
      const part = await get(`${edgeBase}/v2/apps/web/blobs/${digest(blobs.small)}`, { ...auth, range: 'bytes=10-19' });
      expect(part.body.equals(blobs.small.subarray(10, 20))).toBe(true);
    }
    expect(fast.activeReads).toBe(0);
    expect(openBlobFiles()).toBe(0);
  });

  it('serves concurrent pulls byte-identical: the read buffers the sockets give back are shared between answers', async () => {
    const auth = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    const path = (blob: Buffer) => `${edgeBase}/v2/apps/web/blobs/${digest(blob)}`;
    const before = fast.counts.served;
    const answers = await Promise.all([
      get(path(blobs.large), auth),
      get(path(blobs.small), auth),
      get(path(blobs.large), { ...auth, range: 'bytes=1000000-' }),
      get(path(blobs.large), auth),
    ]);
    expect(fast.counts.served).toBe(before + 4);
    expect(digest(answers[0].body)).toBe(digest(blobs.large));
    expect(answers[1].body.equals(blobs.small)).toBe(true);
    expect(answers[2].body.equals(blobs.large.subarray(1_000_000))).toBe(true);
    expect(digest(answers[3].body)).toBe(digest(blobs.large));
  });

  it('stops reading the blob when the client goes away', async () => {
    const auth = { authorization: token([{ name: 'apps/web', actions: ['pull'] }]) };
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${edgeBase}/v2/apps/web/blobs/${digest(blobs.large)}`, { headers: auth }, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          // the client reads one chunk of 32 MB and hangs up: the read is under way, then ends
          res.pause();
          expect(fast.activeReads).toBe(1);
          expect(openBlobFiles()).toBe(1);
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    });
    await vi.waitFor(() => expect(fast.activeReads).toBe(0), { timeout: 10_000, interval: 50 });
    // the blob file was closed with the read
    expect(openBlobFiles()).toBe(0);
  });
});

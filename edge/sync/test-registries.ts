// Registries for the sync tests and bench:sync: Debian's docker-registry with token auth, on a
// storage folder that survives a stop (the "cloud goes away mid-run, comes back" proof), killed
// by its own pid. Plus a registry standing in for an edge's own: trusting a key made here, the
// way the edge's registry trusts the edge's key. And a proxy in front of a registry that counts
// the bytes of every blob it serves and can cut one off mid-body.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@/lib/free-port';
import { generateKeyMaterial, type KeyMaterial } from '@/lib/token-service/key-material';
import { localAuthorize } from './local-auth';
import { RegistryClient } from './oci-client';

async function portOpen(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' }, () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

export type RestartableRegistry = {
  port: number;
  host: string;
  dir: string;
  /** the running registry's pid (for the bench's CPU figures) */
  pid: () => number | null;
  start: () => Promise<void>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  logs: () => string;
};

export async function restartableRegistry(opts: {
  realm: string;
  service?: string;
  issuer: string;
  certificateBundle: string;
  port?: number;
  bin?: string;
}): Promise<RestartableRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-sync-registry-'));
  const port = opts.port ?? (await freePort());
  writeFileSync(join(dir, 'bundle.pem'), opts.certificateBundle);
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: sync-test-secret',
      'auth:',
      '  token:',
      `    realm: ${opts.realm}`,
      `    service: ${opts.service ?? `127.0.0.1:${port}`}`,
      `    issuer: ${opts.issuer}`,
      `    rootcertbundle: ${join(dir, 'bundle.pem')}`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  let output = '';
  const registry: RestartableRegistry = {
    port,
    host: `127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid ?? null,
    logs: () => output,
    start: async () => {
      const c = spawn(opts.bin ?? '/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      c.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)));
      c.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
      const until = Date.now() + 15_000;
      while (!(await portOpen(port))) {
        if (Date.now() > until || c.exitCode !== null) throw new Error(`docker-registry did not start on ${port}: ${output.slice(-500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async (signal = 'SIGTERM') => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
    },
  };
  await registry.start();
  return registry;
}

/** A registry that trusts a key made here, and a client that signs its own tokens with that key. */
export async function edgeLikeRegistry(issuer = 'canopy-edge/test') {
  const key: KeyMaterial = await generateKeyMaterial('sync test edge');
  const registry = await restartableRegistry({ realm: 'http://127.0.0.1:9/unused', issuer, certificateBundle: key.certificate });
  const client = () =>
    new RegistryClient(
      `http://${registry.host}`,
      localAuthorize(key, () => issuer),
    );
  /** a bearer token for skopeo (--src-registry-token / --dest-registry-token) with these scopes */
  const token = async (scopes: string[]) =>
    (await localAuthorize(key, () => issuer)({ realm: '', service: registry.host }, scopes)).slice('Bearer '.length);
  return { registry, key, client, token };
}

export type BlobRead = { digest: string; range: string | null; status: number; bytes: number };

/**
 * An HTTP proxy in front of a registry on loopback: every blob GET is recorded with its Range and
 * the bytes sent; `cutOnce` makes the next GET of a blob stop after that many bytes of its body
 * (the connection closed, as when the parent goes away mid-copy).
 */
export async function blobProxy(targetPort: number) {
  const reads: BlobRead[] = [];
  let cut: { digest: string; after: number } | null = null;
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec((req.url ?? '').split('?')[0])?.[1];
        if (!digest || req.method !== 'GET') return void up.pipe(res);
        const read: BlobRead = { digest, range: req.headers.range ?? null, status: up.statusCode ?? 0, bytes: 0 };
        reads.push(read);
        const limit = cut?.digest === digest ? cut.after : Infinity;
        if (limit !== Infinity) cut = null;
        up.on('data', (chunk: Buffer) => {
          const room = limit - read.bytes;
          if (room <= 0) return;
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          read.bytes += part.length;
          if (read.bytes < limit) return void res.write(part);
          // exactly `limit` bytes reach the client, then the connection closes
          up.destroy();
          res.write(part, () => res.destroy());
        });
        up.on('end', () => res.end());
        up.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reads,
    cutOnce: (digest: string, after: number) => (cut = { digest, after }),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

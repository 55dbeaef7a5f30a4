// Real registry software for interop tests: Debian's docker-registry (distribution 2.8) as the
// registry, skopeo as the client, and a tiny OCI image built on the fly (no network).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

async function waitForPort(port: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/**
 * Serves a fetch-style handler (a Next.js route handler) on loopback, as Canopy's server does;
 * on a given port (to bring a stopped server back where clients expect it), else a free one.
 */
export async function serveHandler(
  handler: (req: Request) => Promise<Response>,
  { port: wantedPort = 0 }: { port?: number } = {},
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    headers.set('x-canopy-client-address', req.socket.remoteAddress ?? 'unknown');
    // a client that goes away aborts the request, as in Next.js (long polls end with it)
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      signal: aborted.signal,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const response = await handler(request);
    if (res.destroyed) return; // the server was closed meanwhile (a long poll outlived it)
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(wantedPort, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // open long polls are cut, as when the server stops
    close: () => new Promise((r) => (server.close(() => r()), server.closeAllConnections())),
  };
}

export type RunningRegistry = { port: number; host: string; stop: () => Promise<void>; logs: () => string };

/** Starts distribution 2.8 with token auth pointing at Canopy. */
export async function startDockerRegistry(opts: {
  realm: string;
  service: string;
  issuer: string;
  certificateBundle: string;
  port: number;
}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-registry-'));
  writeFileSync(join(dir, 'bundle.pem'), opts.certificateBundle);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${opts.port}`,
      'auth:',
      '  token:',
      `    realm: ${opts.realm}`,
      `    service: ${opts.service}`,
      `    issuer: ${opts.issuer}`,
      `    rootcertbundle: ${join(dir, 'bundle.pem')}`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(DOCKER_REGISTRY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForPort(opts.port);
  return {
    port: opts.port,
    host: `127.0.0.1:${opts.port}`,
    logs: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return; // stopped already
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

function sha256(data: Buffer | string) {
  return createHash('sha256').update(data).digest('hex');
}

/** A one-layer OCI image layout in a temporary folder; returns its `oci:` reference. */
export async function buildTinyOciImage(text = 'hello from canopy\n'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-oci-'));
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const content = join(dir, 'content');
  mkdirSync(content);
  writeFileSync(join(content, 'hello.txt'), text);
  await promisify(execFile)('tar', ['-cf', join(dir, 'layer.tar'), '-C', content, 'hello.txt']);
  const layer = (await import('node:fs')).readFileSync(join(dir, 'layer.tar'));
  const layerDigest = sha256(layer);
  writeFileSync(join(blobs, layerDigest), layer);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
  });
  const configDigest = sha256(config);
  writeFileSync(join(blobs, configDigest), config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configDigest}`, size: Buffer.byteLength(config) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${layerDigest}`, size: layer.length }],
  });
  const manifestDigest = sha256(manifest);
  writeFileSync(join(blobs, manifestDigest), manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${manifestDigest}`,
          size: Buffer.byteLength(manifest),
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
  return `oci:${dir}:latest`;
}

export type SkopeoResult = { ok: boolean; output: string };

export async function skopeo(args: string[]): Promise<SkopeoResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('skopeo', ['--insecure-policy', ...args], { timeout: 60_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

export const push = (image: string, registry: string, ref: string, creds: string) =>
  skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds, image, `docker://${registry}/${ref}`]);

export const pull = (registry: string, ref: string, creds: string) =>
  skopeo([
    'copy',
    '--src-tls-verify=false',
    '--src-creds',
    creds,
    `docker://${registry}/${ref}`,
    `oci:${mkdtempSync(join(tmpdir(), 'canopy-pull-'))}:x`,
  ]);

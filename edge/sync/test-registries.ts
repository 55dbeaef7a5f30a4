// Registries for the sync tests and bench:sync: Debian's docker-registry with token auth, on a
// storage folder that survives a stop (the "cloud goes away mid-run, comes back" proof), killed
// by its own pid. Plus a registry standing in for an edge's own: trusting a key made here, the
// way the edge's registry trusts the edge's key.
import { spawn, type ChildProcess } from 'node:child_process';
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

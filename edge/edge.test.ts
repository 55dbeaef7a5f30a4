// Proof with real software: Canopy (its own token service and gateway code, on loopback),
// Debian's docker-registry as the cloud registry trusting Canopy, and two Canopy Edges — a
// ReadWrite connected registry and, under it, a ReadOnly one — each running its own
// docker-registry, with skopeo as the client.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { parseInput } from '@/lib/errors';
import { freePort } from '@/lib/free-port';
import { createCloudRegistry } from '@/lib/registries/service/cloud-registries';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { getConnectedRegistry } from '@/lib/registries/queries';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createCloudRegistryInput } from '@/lib/registries/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { certificateBundle, ensureSigningKey } from '@/lib/token-service/keys';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePassword } from '@/lib/tokens/service/regenerate-passwords';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import {
  connectionStringFile,
  directRegistryAccess,
  requestToken,
  serveCanopy,
  startEdge,
  until,
  type RunningEdge,
  type StatusPost,
} from '@/test/edge-harness';
import { createActor } from '@/test/fixtures';
import { buildTinyOciImage, pull, push, skopeo, startDockerRegistry, type RunningRegistry } from '@/test/registry-interop';

const haveTools = existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo');

describe.skipIf(!haveTools)('Canopy Edge with real registries and clients', () => {
  setupTestDatabase();
  let actor: Actor;
  let canopy: Awaited<ReturnType<typeof serveCanopy>>;
  const statusPosts: StatusPost[] = [];
  let cloud: RunningRegistry;
  let image: string;
  const creds: Record<string, string> = {};
  const edges: Record<
    'parent' | 'child',
    { edge: RunningEdge; args: string[]; dataDir: string; port: number; base: string; service: string }
  > = {} as never;
  const others: RunningEdge[] = [];

  const startBoth = async () => {
    for (const key of ['parent', 'child'] as const) edges[key].edge = startEdge(edges[key].args);
    for (const key of ['parent', 'child'] as const) {
      await until(
        async () => (await fetch(`${edges[key].base}/healthz`)).status === 200,
        30_000,
        `the ${key} edge to be healthy\n${edges[key].edge.output()}`,
      );
    }
  };

  beforeAll(async () => {
    actor = await createActor('Owner');
    process.env.CANOPY_TOKEN_ISSUER = 'canopy-edge-test';
    await ensureSigningKey();
    canopy = await serveCanopy(undefined, statusPosts);
    process.env.CANOPY_PUBLIC_URL = canopy.url;

    const cloudPort = await freePort();
    await createCloudRegistry(
      actor,
      parseInput(createCloudRegistryInput, {
        name: 'contoso',
        loginServer: `127.0.0.1:${cloudPort}`,
        region: 'westus2',
        dataEndpoint: `localhost:${cloudPort}`,
      }),
    );
    cloud = await startDockerRegistry({
      realm: `${canopy.url}/oauth2/token`,
      service: `127.0.0.1:${cloudPort}`,
      issuer: 'canopy-edge-test',
      certificateBundle: await certificateBundle(),
      port: cloudPort,
    });

    await createScopeMap(actor, 'contoso', {
      name: 'web-rw',
      actions: ['content/read', 'content/write', 'metadata/read'].map((a) => `repositories/apps/web/${a}`),
    });
    await createScopeMap(actor, 'contoso', {
      name: 'web-pull',
      actions: ['content/read', 'metadata/read'].map((a) => `repositories/apps/web/${a}`),
    });
    for (const [name, scopeMap] of [
      ['writer', 'web-rw'],
      ['reader', 'web-pull'],
      ['stranger', 'web-rw'],
    ] as const) {
      const { passwords } = await createToken(actor, 'contoso', { name, scopeMap, status: 'enabled', noPasswords: false });
      creds[name] = `${name}:${passwords[0].value}`;
    }
    const parentPort = await freePort();
    const childPort = await freePort();
    await createConnectedRegistry(actor, 'contoso', {
      name: 'factory01',
      mode: 'ReadWrite',
      loginServer: `127.0.0.1:${parentPort}`,
      repositories: ['apps/web'],
      clientTokens: ['writer', 'reader'],
      notifications: [],
    });
    await createConnectedRegistry(actor, 'contoso', {
      name: 'line01',
      parent: 'factory01',
      mode: 'ReadOnly',
      loginServer: `127.0.0.1:${childPort}`,
      repositories: ['apps/web'],
      clientTokens: ['reader'],
      notifications: [],
    });
    for (const [key, name, port] of [
      ['parent', 'factory01', parentPort],
      ['child', 'line01', childPort],
    ] as const) {
      const { connectionString } = await connectionSettings(actor, 'contoso', name, {
        parentProtocol: 'http',
        generatePassword: 'password1',
      });
      creds[`${name}-sync-token`] = `${name}-sync-token:${/SyncTokenPassword=([^;]+)/.exec(connectionString)![1]}`;
      const dataDir = mkdtempSync(join(tmpdir(), `canopy-edge-${name}-`));
      const args = [
        '--connection-string-file',
        connectionStringFile(connectionString),
        '--data-dir',
        dataDir,
        '--listen',
        `127.0.0.1:${port}`,
        '--status-interval',
        '2',
      ];
      // the ReadWrite registry's parent is the cloud registry: it talks to Canopy; the nested one needs no URL, its parent's edge relays
      if (key === 'parent') args.push('--canopy-url', canopy.url);
      edges[key] = { edge: undefined as never, args, dataDir, port, base: `http://127.0.0.1:${port}`, service: `127.0.0.1:${port}` };
    }
    await startBoth();
    image = await buildTinyOciImage('hello from the edge\n');
  }, 180_000);

  afterAll(async () => {
    for (const e of [...others, edges.parent?.edge, edges.child?.edge]) await e?.stop();
    await cloud?.stop();
    await canopy?.close();
  });

  it('both edges activate, fetch their configuration and report Online to Canopy', async () => {
    for (const name of ['factory01', 'line01']) {
      await until(async () => (await getConnectedRegistry('contoso', name)).connectionState === 'Online', 20_000, `${name} Online`);
      const r = await getConnectedRegistry('contoso', name);
      expect(r.activationStatus).toBe('Active');
      expect(r.version).toMatch(/^canopy-edge\//);
    }
    // the data dir's files are the owner's alone: the configuration holds verifiers
    for (const file of ['config.json', 'signing-key.json', 'instance-id']) {
      expect(readFileSync(join(edges.parent.dataDir, file)).length).toBeGreaterThan(0);
      expect((await import('node:fs')).statSync(join(edges.parent.dataDir, file)).mode & 0o077).toBe(0);
    }
  }, 60_000);

  it('a client token pushes and pulls through the ReadWrite edge’s login server; upload URLs point at the login server', async () => {
    const pushed = await push(image, edges.parent.service, 'apps/web:1.0', creds.writer);
    expect(pushed.output).not.toMatch(/unauthorized|denied/i);
    expect(pushed.ok).toBe(true);
    type Health = { blobFastPath: { served: number; forwarded: number } };
    const fastPath = async () => ((await (await fetch(`${edges.parent.base}/healthz`)).json()) as Health).blobFastPath;
    const before = await fastPath();
    expect((await pull(edges.parent.service, 'apps/web:1.0', creds.reader)).ok).toBe(true);
    // the pull's blobs (config and layer) came from the registry's storage, counted in /healthz
    expect((await fastPath()).served).toBeGreaterThanOrEqual(before.served + 2);

    // distribution builds the upload Location from the Host header: the proxy keeps it
    const { status, access } = await requestToken(edges.parent.base, edges.parent.service, creds.writer, ['repository:apps/web:pull,push']);
    expect(status).toBe(200);
    expect(access).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull', 'push'] }]);
    const tokenRes = await fetch(`${edges.parent.base}/oauth2/token?service=${edges.parent.service}&scope=repository:apps/web:pull,push`, {
      headers: { authorization: `Basic ${Buffer.from(creds.writer).toString('base64')}` },
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const upload = await fetch(`${edges.parent.base}/v2/apps/web/blobs/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(upload.status).toBe(202);
    expect(upload.headers.get('location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${edges.parent.port}/v2/apps/web/blobs/uploads/`));
  }, 90_000);

  it('a pull-only token cannot push, and a token the registry does not accept is refused', async () => {
    const pushed = await push(image, edges.parent.service, 'apps/web:evil', creds.reader);
    expect(pushed.ok).toBe(false);
    expect(pushed.output).toMatch(/unauthorized|denied|authentication required/i);
    const stranger = await pull(edges.parent.service, 'apps/web:1.0', creds.stranger);
    expect(stranger.ok).toBe(false);
    expect((await requestToken(edges.parent.base, edges.parent.service, creds.stranger, ['repository:apps/web:pull'])).status).toBe(401);
  }, 90_000);

  it('the ReadOnly edge serves pulls with its client token and refuses push to everyone', async () => {
    // content goes into the child's registry directly (sync between edges is the next step)
    const direct = await directRegistryAccess(edges.child.dataDir, 'apps/web');
    const copied = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-registry-token',
      direct.token,
      image,
      `docker://${direct.address}/apps/web:1.0`,
    ]);
    expect(copied.ok, copied.output).toBe(true);
    expect((await pull(edges.child.service, 'apps/web:1.0', creds.reader)).ok).toBe(true);
    const pushed = await push(image, edges.child.service, 'apps/web:2.0', creds.reader);
    expect(pushed.ok).toBe(false);
    // not even when asked for: a ReadOnly registry grants pull alone, and only to tokens it accepts
    expect(
      (await requestToken(edges.child.base, edges.child.service, creds.reader, ['repository:apps/web:pull,push,delete'])).access,
    ).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
    expect((await requestToken(edges.child.base, edges.child.service, creds.writer, ['repository:apps/web:push'])).status).toBe(401);
  }, 90_000);

  it('the parent edge authenticates the child’s sync token: the child’s repositories, pull only for a ReadOnly child', async () => {
    const asChild = await requestToken(edges.parent.base, edges.parent.service, creds['line01-sync-token'], [
      'repository:apps/web:pull,push',
      'repository:apps/other:pull',
    ]);
    expect(asChild).toEqual({ status: 200, access: [{ type: 'repository', name: 'apps/web', actions: ['pull'] }] });
    expect((await pull(edges.parent.service, 'apps/web:1.0', creds['line01-sync-token'])).ok).toBe(true);
    // the parent's own sync token authenticates upstream, not at its own edge
    expect(
      (await requestToken(edges.parent.base, edges.parent.service, creds['factory01-sync-token'], ['repository:apps/web:pull'])).status,
    ).toBe(401);
  }, 90_000);

  it('the parent edge relays the child’s config long poll, and only normalised paths of registries below it', async () => {
    const savedLevel = () =>
      (JSON.parse(readFileSync(join(edges.child.dataDir, 'config.json'), 'utf8')) as { config: { logLevel: string } }).config.logLevel;
    expect(savedLevel()).toBe('Information');
    const changedAt = Date.now();
    await updateConnectedRegistry(actor, 'contoso', 'line01', { logLevel: 'Debug' });
    await until(() => savedLevel() === 'Debug', 2000, 'the child to receive its new configuration through the relay');
    expect(Date.now() - changedAt).toBeLessThan(2000);
    await until(() => /config\.changed.*logLevel: Information → Debug/.test(edges.child.edge.output()), 2000, 'the change logged');

    const child = `Basic ${Buffer.from(creds['line01-sync-token']).toString('base64')}`;
    const instance = readFileSync(join(edges.child.dataDir, 'instance-id'), 'utf8').trim();
    for (const path of [
      '/gateway/v1/registries/contoso/connected-registries/factory01/config', // itself: not below it
      '/gateway/v1/registries/contoso/connected-registries/line01/../factory01/config',
      '/gateway/v1/registries/contoso/connected-registries/line01/config/extra',
      '/gateway/v1/registries/contoso/connected-registries/line%30%31/config',
      '/gateway/v1/registries/other/connected-registries/line01/config',
      '/gateway/v1/registries/contoso/tokens',
    ]) {
      const res = await fetch(`${edges.parent.base}${path}`, {
        headers: { authorization: child, 'x-connected-registry-instance': instance },
      });
      expect(res.status, path).toBe(404);
    }
    const relayed = await fetch(`${edges.parent.base}/gateway/v1/registries/contoso/connected-registries/line01/config`, {
      headers: { authorization: child, 'x-connected-registry-instance': instance },
    });
    expect(relayed.status).toBe(200);
  }, 30_000);

  it('a password regenerated in Canopy works at both edges within 2 s and the old one is refused', async () => {
    const fresh = await regeneratePassword(actor, 'contoso', 'reader', { name: 'password1' });
    const started = Date.now();
    for (const e of [edges.parent, edges.child]) {
      await until(
        async () => (await requestToken(e.base, e.service, `reader:${fresh.value}`, ['repository:apps/web:pull'])).status === 200,
        2000,
        'the new password',
      );
      expect((await requestToken(e.base, e.service, creds.reader, ['repository:apps/web:pull'])).status).toBe(401);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    creds.reader = `reader:${fresh.value}`;
    expect((await pull(edges.child.service, 'apps/web:1.0', creds.reader)).ok).toBe(true);
  }, 60_000);

  it('a client token disabled in Canopy is refused at both edges within 2 s', async () => {
    await updateToken(actor, 'contoso', 'reader', { status: 'disabled' });
    const started = Date.now();
    for (const e of [edges.parent, edges.child]) {
      await until(
        async () => (await requestToken(e.base, e.service, creds.reader, ['repository:apps/web:pull'])).status === 401,
        2000,
        'the disabled token refused',
      );
    }
    expect(Date.now() - started).toBeLessThan(2000);
    await updateToken(actor, 'contoso', 'reader', { status: 'enabled' });
    for (const e of [edges.parent, edges.child]) {
      await until(
        async () => (await requestToken(e.base, e.service, creds.reader, ['repository:apps/web:pull'])).status === 200,
        2000,
        'the token enabled again',
      );
    }
  }, 30_000);

  it('the registry disabled through its sync token refuses every client within 2 s, and serves again when enabled', async () => {
    await updateToken(actor, 'contoso', 'factory01-sync-token', { status: 'disabled' });
    try {
      const started = Date.now();
      await until(
        async () =>
          (await requestToken(edges.parent.base, edges.parent.service, creds.writer, ['repository:apps/web:pull'])).status === 401,
        2000,
        'the disabled registry refusing clients',
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await fetch(`${edges.parent.base}/v2/`)).status).toBe(403);
      expect((await (await fetch(`${edges.parent.base}/healthz`)).json()).status).toBe('disabled');
      // Canopy's 403 registry_disabled (not a 401): the edge says why it refuses
      await until(() => /registry\.disabled/.test(edges.parent.edge.output()), 5000, 'the edge to log registry.disabled');
    } finally {
      await updateToken(actor, 'contoso', 'factory01-sync-token', { status: 'enabled' });
    }
    await until(
      async () => (await requestToken(edges.parent.base, edges.parent.service, creds.writer, ['repository:apps/web:pull'])).status === 200,
      10_000,
      'the registry serving again',
    );
  }, 30_000);

  it('offline: with Canopy and the cloud registry stopped, restarted edges still log clients in and serve; queued status arrives when Canopy is back', async () => {
    await canopy.close();
    await cloud.stop();
    for (const key of ['parent', 'child'] as const) await edges[key].edge.stop();
    await startBoth();
    expect(edges.parent.edge.output()).toMatch(/config\.loaded/);
    expect((await pull(edges.parent.service, 'apps/web:1.0', creds.writer)).ok).toBe(true);
    expect((await pull(edges.child.service, 'apps/web:1.0', creds.reader)).ok).toBe(true);
    expect((await requestToken(edges.parent.base, edges.parent.service, creds.stranger, ['repository:apps/web:pull'])).status).toBe(401);
    // the edges queue their reports (Unhealthy: upstream unreachable) while Canopy is away
    await until(
      async () => ((await (await fetch(`${edges.parent.base}/healthz`)).json()) as { queuedStatusReports: number }).queuedStatusReports > 0,
      10_000,
      'a queued report',
    );
    const wentAway = Date.now();
    await new Promise((r) => setTimeout(r, 2500));

    const before = statusPosts.length;
    canopy = await serveCanopy(canopy.port, statusPosts);
    for (const name of ['factory01', 'line01']) {
      await until(
        async () =>
          statusPosts.slice(before).some((p) => p.registry === name && p.body.connectionState === 'Unhealthy' && p.status === 204),
        20_000,
        `${name}'s queued report`,
      );
      await until(async () => (await getConnectedRegistry('contoso', name)).connectionState === 'Online', 20_000, `${name} Online again`);
    }
    // a queued report carries the time it was observed, not the time it arrived
    const queued = statusPosts.slice(before).find((p) => p.registry === 'factory01' && p.body.connectionState === 'Unhealthy')!;
    expect(Date.parse(String(queued.body.observedTime))).toBeLessThan(wentAway + 2500);
    expect(JSON.stringify(queued.body.statusDetails)).toContain('UPSTREAM_UNREACHABLE');
  }, 180_000);

  it('the built file (npm run build:edge), copied where no node_modules are, runs; a second edge with the same connection string and another data dir is refused (409) and says so', async () => {
    // the one-file build runs with plain node, nothing installed beside it
    const built = join(mkdtempSync(join(tmpdir(), 'canopy-edge-dist-')), 'canopy-edge.mjs');
    await promisify(execFile)(process.execPath, ['scripts/build-edge.mjs', '--outfile', built]);
    const site = mkdtempSync(join(tmpdir(), 'canopy-edge-site-'));
    copyFileSync(built, join(site, 'canopy-edge.mjs'));
    const version = await promisify(execFile)(process.execPath, [join(site, 'canopy-edge.mjs'), '--version'], { cwd: site });
    expect(version.stdout).toMatch(/^canopy-edge \d+\.\d+\.\d+/);
    expect((await promisify(execFile)(process.execPath, [join(site, 'canopy-edge.mjs'), '--help'], { cwd: site })).stdout).toContain(
      '--connection-string-file',
    );

    const args = [...edges.parent.args];
    args[args.indexOf('--data-dir') + 1] = mkdtempSync(join(tmpdir(), 'canopy-edge-second-'));
    args[args.indexOf('--listen') + 1] = `127.0.0.1:${await freePort()}`;
    const second = startEdge(args, { built: join(site, 'canopy-edge.mjs') });
    others.push(second);
    const code = await Promise.race([second.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
    expect(code).toBe(3);
    expect(second.output()).toMatch(/Activation refused \(409\).*already active/);
  }, 60_000);
});

// Sync end to end with real processes: Canopy's gateway and token service (its own route handlers
// on loopback), Debian's docker-registry as the cloud registry trusting Canopy, and two Canopy
// Edges run as programs — factory01 (ReadWrite, under the cloud registry) and line01 (ReadOnly,
// under factory01) — each with its own docker-registry; skopeo pushes and pulls. Runs start with
// Sync now (POST CR/sync's use case) and are read back from Canopy's history (GET CR/sync-runs's).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { listSyncRuns } from '@/lib/sync/queries';
import type { SyncRunDto } from '@/lib/sync/schemas';
import { listSyncRunsQuery } from '@/lib/sync/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { requestSync } from '@/lib/sync/service';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { setupTestDatabase } from '@/test/db';
import { until } from '@/test/edge-harness';
import { connectionStringFile, startEdge, type RunningEdge } from '@/test/edge-process';
import { skopeo } from '@/test/registry-interop';
import { basicRealmAuthorize, RegistryClient } from './oci-client';
import { syncFixture, YEARLY, type SyncFixture } from './test-fixture';

const haveTools = existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo');

describe.skipIf(!haveTools)('sync through real edges: the cloud registry → a ReadWrite edge → its ReadOnly child', () => {
  setupTestDatabase();
  let f: SyncFixture;
  const edges: Record<'factory01' | 'line01', { edge: RunningEdge; host: string }> = {} as never;
  let reader: string;

  /** Sync now, then the run that answered it, once it has ended, as Canopy shows it */
  const syncNow = async (name: 'factory01' | 'line01'): Promise<SyncRunDto> => {
    const { requestId } = await requestSync(f.actor, 'contoso', name);
    return until(
      async () =>
        (await listSyncRuns('contoso', name, listSyncRunsQuery.parse({}))).items.find(
          (r) => r.requestId === requestId && r.status !== 'Running',
        ),
      90_000,
      `${name}'s run for ${requestId}\n${edges[name].edge.output().slice(-3000)}`,
    );
  };
  /** pusher at the cloud and the ReadWrite edge, reader at the ReadOnly one */
  const client = (host: string) => {
    const [user, password] = (host === edges.line01?.host ? reader : f.pusher).split(':');
    return new RegistryClient(`http://${host}`, basicRealmAuthorize(user, password));
  };
  const digest = async (host: string, repo: string, tag: string) => {
    const c = client(host);
    try {
      return await c.manifestDigest(repo, tag);
    } finally {
      c.close();
    }
  };

  beforeAll(async () => {
    f = await syncFixture();
    // a ReadOnly registry accepts only tokens that read
    await createScopeMap(f.actor, 'contoso', {
      name: 'apps-pull',
      actions: ['apps/web', 'apps/api'].flatMap((r) => ['content/read', 'metadata/read'].map((a) => `repositories/${r}/${a}`)),
    });
    const { passwords } = await createToken(f.actor, 'contoso', {
      name: 'reader',
      scopeMap: 'apps-pull',
      status: 'enabled',
      noPasswords: false,
    });
    reader = `reader:${passwords[0].value}`;
    const childPort = await freePort();
    await createConnectedRegistry(f.actor, 'contoso', {
      name: 'line01',
      parent: 'factory01',
      mode: 'ReadOnly',
      loginServer: `127.0.0.1:${childPort}`,
      repositories: ['apps/web', 'apps/api'],
      clientTokens: ['reader'],
      notifications: [],
      syncSchedule: YEARLY,
      syncWindow: 'PT1H',
    });
    const { connectionString: childString } = await connectionSettings(f.actor, 'contoso', 'line01', {
      parentProtocol: 'http',
      generatePassword: 'password1',
    });
    for (const [name, port, cs] of [
      ['factory01', f.loginPort, f.connectionString],
      ['line01', childPort, childString],
    ] as const) {
      const args = [
        '--connection-string-file',
        connectionStringFile(cs),
        '--data-dir',
        mkdtempSync(join(tmpdir(), `canopy-edge-${name}-`)),
        '--listen',
        `127.0.0.1:${port}`,
        '--insecure',
        '--status-interval',
        '2',
      ];
      if (name === 'factory01') args.push('--canopy-url', f.canopy.url);
      edges[name] = { edge: startEdge(args), host: `127.0.0.1:${port}` };
    }
    for (const name of ['factory01', 'line01'] as const) {
      await until(
        async () => (await fetch(`http://${edges[name].host}/healthz`)).status === 200,
        60_000,
        `${name} healthy\n${edges[name].edge.output()}`,
      );
    }
    await f.push('one', 'apps/web:1.0');
    await f.push('multi', 'apps/web:multi');
    await f.push('two', 'apps/api:2.0');
  }, 240_000);

  afterAll(async () => {
    for (const e of [edges.line01?.edge, edges.factory01?.edge]) await e?.stop();
    await f?.close();
  });

  it('Sync now on the ReadWrite edge, then on its ReadOnly child: a client pulls the cloud’s digests from the child; Canopy shows both runs Succeeded with their counts', async () => {
    const parentRun = await syncNow('factory01');
    expect(parentRun).toMatchObject({ status: 'Succeeded', trigger: 'now', kind: 'sync', error: null });
    expect(parentRun.totals.down.tags).toBe(3);
    expect(parentRun.totals.down.bytes).toBeGreaterThan(2 * 1024 * 1024);
    const childRun = await syncNow('line01');
    expect(childRun).toMatchObject({ status: 'Succeeded', trigger: 'now', error: null });
    expect(childRun.totals.down.tags).toBe(3);
    expect(childRun.totals.up.tags).toBe(0);
    for (const [repo, tag] of [
      ['apps/web', '1.0'],
      ['apps/web', 'multi'],
      ['apps/api', '2.0'],
    ]) {
      expect(await digest(edges.line01.host, repo, tag), `${repo}:${tag}`).toBe(await digest(f.cloud.host, repo, tag));
    }
    const pulled = await skopeo([
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--src-creds',
      reader,
      `docker://${edges.line01.host}/apps/web:multi`,
      `oci:${mkdtempSync(join(tmpdir(), 'canopy-pull-'))}:x`,
    ]);
    expect(pulled.ok, pulled.output).toBe(true);
  }, 240_000);

  it('a tag re-pushed at the cloud with new content, and a tag deleted there, reach the child on the next runs', async () => {
    await f.push('three', 'apps/web:1.0');
    const admin = client(f.cloud.host);
    await admin.deleteManifest('apps/api', (await admin.manifestDigest('apps/api', '2.0'))!);
    admin.close();
    await syncNow('factory01');
    const childRun = await syncNow('line01');
    expect(childRun.status).toBe('Succeeded');
    expect(childRun.repositories.find((r) => r.name === 'apps/api')!.down.tagsDeleted).toBe(1);
    expect(await digest(edges.line01.host, 'apps/web', '1.0')).toBe(await digest(f.cloud.host, 'apps/web', '1.0'));
    expect(await digest(edges.line01.host, 'apps/api', '2.0')).toBeNull();
  }, 240_000);

  it('a push to the ReadWrite edge reaches the cloud (its registry’s event starts a run); a tag changed on both sides is resolved as documented', async () => {
    const pushed = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      f.pusher,
      f.refs.big,
      `docker://${edges.factory01.host}/apps/web:made-here`,
    ]);
    expect(pushed.ok, pushed.output).toBe(true);
    await until(
      async () => (await digest(f.cloud.host, 'apps/web', 'made-here')) === (await digest(edges.factory01.host, 'apps/web', 'made-here')),
      60_000,
      'the pushed tag at the cloud',
    );
    // Canopy shows that run as started by the push
    const pushRun = await until(
      async () =>
        (await listSyncRuns('contoso', 'factory01', listSyncRunsQuery.parse({}))).items.find(
          (r) => r.trigger === 'push' && r.status !== 'Running' && r.totals.up.tags > 0,
        ),
      30_000,
      'the push’s run in Canopy’s history',
    );
    expect(pushRun).toMatchObject({ status: 'Succeeded', kind: 'sync', requestId: null });

    // both sides change multi since the last run: the cloud's wins, the edge's is kept
    await f.push('two', 'apps/web:multi');
    const mine = await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      f.pusher,
      f.refs.three,
      `docker://${edges.factory01.host}/apps/web:multi`,
    ]);
    expect(mine.ok, mine.output).toBe(true);
    const edgeDigest = (await digest(edges.factory01.host, 'apps/web', 'multi'))!;
    const cloudDigest = (await digest(f.cloud.host, 'apps/web', 'multi'))!;
    expect(edgeDigest).not.toBe(cloudDigest);
    const keptAs = `multi-edge-${edgeDigest.slice(7, 19)}`;
    // the push's own run (or Sync now, whichever comes first) finds the conflict
    await until(
      async () => (await digest(edges.factory01.host, 'apps/web', 'multi')) === cloudDigest,
      60_000,
      'the cloud’s multi at the edge',
    );
    expect(await digest(edges.factory01.host, 'apps/web', keptAs)).toBe(edgeDigest);
    // the run copies down before it copies up: the edge's version reaches the cloud a little later,
    // and the run ends after that (the next test's Sync now would find it still running)
    await until(async () => (await digest(f.cloud.host, 'apps/web', keptAs)) === edgeDigest, 60_000, 'the kept tag at the cloud');
    const runs = await until(
      async () => {
        const items = (await listSyncRuns('contoso', 'factory01', listSyncRunsQuery.parse({}))).items;
        return items.some((r) => r.status === 'Running') ? undefined : items;
      },
      60_000,
      'factory01’s runs to end',
    );
    expect(runs.flatMap((r) => r.conflicts)).toContainEqual({
      repository: 'apps/web',
      tag: 'multi',
      parentDigest: cloudDigest,
      edgeDigest,
      keptAs,
    });
  }, 240_000);

  it('the cloud registry stopped: the run fails with a clear error in Canopy; the next one succeeds', async () => {
    await f.cloud.stop();
    try {
      const failed = await syncNow('factory01');
      expect(failed.status).toBe('Failed');
      expect(failed.error).toMatch(/ECONNREFUSED|connect/);
      expect(failed.repositories.find((r) => r.error)?.error).toMatch(new RegExp(f.cloud.host.replace(/\./g, '\\.')));
    } finally {
      await f.cloud.start();
    }
    expect((await syncNow('factory01')).status).toBe('Succeeded');
  }, 240_000);
});

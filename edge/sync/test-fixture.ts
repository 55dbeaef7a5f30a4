// What the sync tests share: Canopy's token service on loopback (its own route handlers), Debian's
// docker-registry as the cloud registry trusting it, a connected registry `factory01` (ReadWrite,
// apps/web and apps/api) with its sync token, a client token `pusher` that pushes to the cloud,
// and an OCI layout of images made here (a 2 MiB base layer shared by all, random layers, one
// multi-platform index), pushed with skopeo.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { freePort } from '@/lib/free-port';
import { buildConfig } from '@/lib/gateway/queries';
import { createCloudRegistry } from '@/lib/registries/service/cloud-registries';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createCloudRegistryInput } from '@/lib/registries/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { certificateBundle, ensureSigningKey } from '@/lib/token-service/keys';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { createToken } from '@/lib/tokens/service/create-token';
import { serveCanopy } from '@/test/edge-harness';
import { createActor } from '@/test/fixtures';
import { skopeo } from '@/test/registry-interop';
import { edgeConfigSchema, type EdgeConfig } from '../config';
import { basicRealmAuthorize, RegistryClient } from './oci-client';
import { restartableRegistry, type RestartableRegistry } from './test-registries';
import { OciLayout } from './test-images';

export const MiB = 1 << 20;
export const YEARLY = '0 0 1 1 *';

export type SyncFixture = {
  actor: Actor;
  canopy: Awaited<ReturnType<typeof serveCanopy>>;
  cloud: RestartableRegistry;
  pusher: string;
  syncToken: { name: string; password: string };
  /** factory01's connection string, and the port of its login server (127.0.0.1) */
  connectionString: string;
  loginPort: number;
  layout: OciLayout;
  refs: Record<string, string>;
  parentClient: () => RegistryClient;
  push: (ref: string, to: string) => Promise<void>;
  /** the configuration document Canopy serves factory01 */
  config: () => Promise<EdgeConfig>;
  close: () => Promise<void>;
};

export async function syncFixture(): Promise<SyncFixture> {
  const actor = await createActor('Owner');
  process.env.CANOPY_TOKEN_ISSUER = 'canopy-sync-test';
  await ensureSigningKey();
  const canopy = await serveCanopy();
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
  const cloud = await restartableRegistry({
    realm: `${canopy.url}/oauth2/token`,
    issuer: 'canopy-sync-test',
    certificateBundle: await certificateBundle(),
    port: cloudPort,
  });

  const actions = (repo: string) =>
    ['content/read', 'content/write', 'content/delete', 'metadata/read'].map((a) => `repositories/${repo}/${a}`);
  await createScopeMap(actor, 'contoso', { name: 'apps-rw', actions: [...actions('apps/web'), ...actions('apps/api')] });
  const { passwords } = await createToken(actor, 'contoso', { name: 'pusher', scopeMap: 'apps-rw', status: 'enabled', noPasswords: false });
  const pusher = `pusher:${passwords[0].value}`;
  // scheduled once a year: runs come from Sync now (and push hints) in these tests
  const loginPort = await freePort();
  await createConnectedRegistry(actor, 'contoso', {
    name: 'factory01',
    mode: 'ReadWrite',
    loginServer: `127.0.0.1:${loginPort}`,
    repositories: ['apps/web', 'apps/api'],
    clientTokens: ['pusher'],
    notifications: [],
    syncSchedule: YEARLY,
    syncWindow: 'PT1H',
  });
  const { connectionString } = await connectionSettings(actor, 'contoso', 'factory01', {
    parentProtocol: 'http',
    generatePassword: 'password1',
  });
  const syncToken = { name: 'factory01-sync-token', password: /SyncTokenPassword=([^;]+)/.exec(connectionString)![1] };

  const layout = new OciLayout(mkdtempSync(join(tmpdir(), 'canopy-sync-images-')));
  const refs: Record<string, string> = {};
  const base = await layout.randomLayer(2 * MiB);
  for (const name of ['one', 'two', 'three']) refs[name] = layout.ref(name, layout.image([base, await layout.randomLayer(MiB + 17)], name));
  refs.big = layout.ref(
    'big',
    layout.image([base, ...(await Promise.all([1, 2, 3, 4, 5, 6].map(() => layout.randomLayer(3 * MiB))))], 'big'),
  );
  refs.multi = layout.ref(
    'multi',
    layout.index([
      layout.image([base, await layout.randomLayer(300_000)], 'multi-amd64', { architecture: 'amd64', os: 'linux' }),
      layout.image([base, await layout.randomLayer(300_001)], 'multi-arm64', { architecture: 'arm64', os: 'linux' }),
    ]),
  );

  return {
    actor,
    canopy,
    cloud,
    pusher,
    syncToken,
    connectionString,
    loginPort,
    layout,
    refs,
    parentClient: () => new RegistryClient(`http://${cloud.host}`, basicRealmAuthorize(syncToken.name, syncToken.password)),
    push: async (ref, to) => {
      const r = await skopeo([
        'copy',
        '--all',
        '--dest-tls-verify=false',
        '--dest-creds',
        pusher,
        refs[ref],
        `docker://${cloud.host}/${to}`,
      ]);
      expect(r.ok, r.output).toBe(true);
    },
    config: async () => {
      const db = getDb();
      const c = await db.cloudRegistry.findFirstOrThrow({
        where: { name: 'contoso' },
        select: { id: true, name: true, loginServer: true, dataEndpoint: true },
      });
      const r = await db.connectedRegistry.findFirstOrThrow({ where: { name: 'factory01' }, select: { id: true } });
      return edgeConfigSchema.parse((await buildConfig(c, r.id)).config);
    },
    close: async () => {
      await cloud.stop().catch(() => {});
      await canopy.close();
    },
  };
}

// `npm run seed:large [-- <name>] [--replace]`: a cloud registry (default `bench`) with 1,000
// connected registries up to depth 8 and 20,000 client tokens, to check that the portal stays
// fast at that size. Rows are written with bulk inserts; every sync scope map is derived with
// syncScopeActions exactly as the service derives it. Uses DATABASE_URL, or else the embedded
// database in CANOPY_DATA_DIR (like `npm run db:migrate`).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordAudit } from '@/lib/audit/record';
import { dataDir } from '@/lib/config';
import { disconnectDb, getDb } from '@/lib/db/client';
import { startEmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { SYSTEM_SCOPE_MAPS } from '@/lib/registries/cloud';
import { REGISTRY_NAME, defaultDataEndpoint, syncScopeMapName, syncTokenName, type Mode } from '@/lib/registries/rules';
import { childrenIndex, descendantsOf, syncScopeActions, type HierarchyNode } from '@/lib/registries/sync-scope';

export type SeedOptions = {
  name: string;
  registries?: number;
  maxDepth?: number;
  tokens?: number;
  /** delete a cloud registry of that name first */
  replace?: boolean;
  log?: (line: string) => void;
};

export type SeedResult = { created: boolean; registries: number; tokens: number; maxDepth: number; seconds: number };

// names by depth, so that a search for "site" or "plant04" finds a realistic slice
const LEVEL_NAMES = ['region', 'country', 'city', 'site', 'plant', 'line', 'cell', 'edge'];
const STATES = ['Online', 'Online', 'Online', 'Online', 'Online', 'Online', 'Syncing', 'Unhealthy', 'Offline', 'Offline'] as const;

/** A small deterministic PRNG (mulberry32), so every run builds the same tree. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inChunks<T>(rows: T[], size: number, write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

async function deleteCloudRegistry(id: string) {
  const db = getDb();
  // parents are RESTRICTed: unlink the tree first, then delete it in one statement
  await db.connectedRegistry.updateMany({ where: { cloudRegistryId: id }, data: { parentId: null } });
  await db.connectedRegistry.deleteMany({ where: { cloudRegistryId: id } });
  await db.token.deleteMany({ where: { cloudRegistryId: id } });
  await db.scopeMap.deleteMany({ where: { cloudRegistryId: id } });
  await db.cloudRegistry.delete({ where: { id } });
}

export async function seedLarge(options: SeedOptions): Promise<SeedResult> {
  const { name, registries: count = 1000, maxDepth = 8, tokens: tokenCount = 20_000, log = console.log } = options;
  if (!REGISTRY_NAME.test(name)) throw new Error(`"${name}" is not a registry name: use 5–50 letters and digits, starting with a letter.`);
  const started = performance.now();
  const db = getDb();
  const existing = await db.cloudRegistry.findFirst({ where: { name: { equals: name, mode: 'insensitive' } }, select: { id: true } });
  if (existing && !options.replace) {
    const [registries, tokens] = await Promise.all([
      db.connectedRegistry.count({ where: { cloudRegistryId: existing.id } }),
      db.token.count({ where: { cloudRegistryId: existing.id } }),
    ]);
    log(`${name} exists already (${registries} connected registries, ${tokens} tokens); pass --replace to build it again.`);
    return { created: false, registries, tokens, maxDepth: 0, seconds: 0 };
  }
  if (existing) {
    log(`deleting the existing ${name}…`);
    await deleteCloudRegistry(existing.id);
  }

  const rnd = random(20261128);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const now = Date.now();

  // 1. the cloud registry with its system scope maps
  const loginServer = `${name.toLowerCase()}.azurecr.io`;
  const cloud = await db.cloudRegistry.create({
    data: {
      name,
      loginServer,
      region: 'westeurope',
      dataEndpoint: defaultDataEndpoint(loginServer, 'westeurope'),
      scopeMaps: { create: SYSTEM_SCOPE_MAPS.map((m) => ({ ...m, system: true })) },
    },
    select: { id: true, scopeMaps: { select: { id: true, name: true } } },
  });

  // 2. client scope maps: half read-only (a ReadOnly registry may accept their tokens)
  const teams = Array.from({ length: 10 }, (_, i) => `team${i + 1}`);
  const userMaps = teams.flatMap((team) => [
    { id: randomUUID(), name: `${team}-pull`, readOnly: true, actions: [`repositories/${team}/*/content/read`, `repositories/${team}/*/metadata/read`] },
    {
      id: randomUUID(),
      name: `${team}-push`,
      readOnly: false,
      actions: [`repositories/${team}/*/content/read`, `repositories/${team}/*/content/write`, `repositories/${team}/*/metadata/read`],
    },
  ]);
  await db.scopeMap.createMany({
    data: userMaps.map((m) => ({ id: m.id, cloudRegistryId: cloud.id, name: m.name, description: `Client access for ${m.name}`, actions: m.actions })),
  });

  // 3. the tree: a chain to the full depth first, then every node under a random shallower one
  type Node = HierarchyNode & { depth: number; scopeMapId: string; tokenId: string };
  const nodes: Node[] = [];
  const repoPool = teams.flatMap((team) => ['web', 'api', 'worker', 'db-migrate', 'edge-agent', 'firmware'].map((app) => `${team}/${app}`));
  const addNode = (parent: Node | null, i: number) => {
    const depth = parent ? parent.depth + 1 : 1;
    const mode: Mode = parent?.mode === 'ReadOnly' || rnd() < 0.12 ? 'ReadOnly' : 'ReadWrite';
    const repositories = [...new Set([pick(repoPool), pick(repoPool), pick(repoPool)].slice(0, 1 + Math.floor(rnd() * 3)))].sort();
    const node: Node = {
      id: randomUUID(),
      name: `${LEVEL_NAMES[depth - 1]}${String(i).padStart(4, '0')}`,
      parentId: parent?.id ?? null,
      mode,
      repositories,
      depth,
      scopeMapId: randomUUID(),
      tokenId: randomUUID(),
    };
    nodes.push(node);
    return node;
  };
  let chainParent: Node | null = null;
  for (let d = 0; d < Math.min(maxDepth, count); d++) chainParent = addNode(chainParent, nodes.length + 1);
  const topLevel = 12;
  while (nodes.length < count) {
    const tops = nodes.filter((n) => n.depth === 1).length;
    if (tops < topLevel && rnd() < 0.2) {
      addNode(null, nodes.length + 1);
      continue;
    }
    const candidates = nodes.filter((n) => n.depth < maxDepth);
    // prefer shallower parents a little, so that the tree is bushy rather than a long tail
    const a = pick(candidates);
    const b = pick(candidates);
    addNode(a.depth <= b.depth ? a : b, nodes.length + 1);
  }
  const index = childrenIndex(nodes);

  // 4. sync scope maps and sync tokens, derived as the service derives them
  await inChunks(nodes, 100, (chunk) =>
    db.scopeMap.createMany({
      data: chunk.map((n) => ({
        id: n.scopeMapId,
        cloudRegistryId: cloud.id,
        name: syncScopeMapName(n.name),
        description: `Sync scope map of connected registry ${n.name}`,
        actions: syncScopeActions(n, descendantsOf(nodes, n.id, index)),
      })),
    }),
  );
  await inChunks(nodes, 2000, (chunk) =>
    db.token.createMany({
      data: chunk.map((n) => ({
        id: n.tokenId,
        cloudRegistryId: cloud.id,
        name: syncTokenName(n.name),
        scopeMapId: n.scopeMapId,
        status: rnd() < 0.03 ? ('disabled' as const) : ('enabled' as const),
      })),
    }),
  );

  // 5. client tokens
  const clientTokens = Array.from({ length: tokenCount }, (_, i) => {
    const map = userMaps[i % userMaps.length];
    return { id: randomUUID(), name: `client-${String(i + 1).padStart(5, '0')}`, scopeMapId: map.id, readOnly: map.readOnly };
  });
  await inChunks(clientTokens, 2000, (chunk) =>
    db.token.createMany({
      data: chunk.map((t) => ({ id: t.id, cloudRegistryId: cloud.id, name: t.name, scopeMapId: t.scopeMapId, status: rnd() < 0.05 ? ('disabled' as const) : ('enabled' as const) })),
    }),
  );

  // 6. the connected registries, parents before children
  const byDepth = [...nodes].sort((x, y) => x.depth - y.depth);
  await inChunks(byDepth, 250, (chunk) =>
    db.connectedRegistry.createMany({
      data: chunk.map((n) => {
        const state = pick(STATES);
        const active = state !== 'Offline' || rnd() < 0.3;
        const seen = state === 'Offline' ? (active ? new Date(now - 86_400_000) : null) : new Date(now - Math.floor(rnd() * 60_000));
        return {
          id: n.id,
          cloudRegistryId: cloud.id,
          parentId: n.parentId,
          name: n.name,
          mode: n.mode,
          loginServer: `${n.name.toLowerCase()}.${name.toLowerCase()}.local:8080`,
          repositories: n.repositories,
          syncTokenId: n.tokenId,
          syncScopeMapId: n.scopeMapId,
          notifications: rnd() < 0.2 ? ['*:*'] : [],
          activationStatus: active ? ('Active' as const) : ('Inactive' as const),
          connectionState: state,
          lastActivityTime: seen,
          lastSyncTime: seen,
          version: active ? '2.1.0' : null,
        };
      }),
    }),
  );

  // 7. the client tokens each registry accepts (read-only ones for ReadOnly registries)
  const readOnlyTokens = clientTokens.filter((t) => t.readOnly);
  const links = nodes.flatMap((n) => {
    const pool = n.mode === 'ReadOnly' ? readOnlyTokens : clientTokens;
    const ids = new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => pick(pool).id));
    return [...ids].map((tokenId) => ({ connectedRegistryId: n.id, tokenId }));
  });
  await inChunks(links, 2000, (chunk) => db.connectedRegistryClientToken.createMany({ data: chunk }));

  const depth = Math.max(...nodes.map((n) => n.depth));
  await db.$transaction((tx) =>
    recordAudit(tx, 'system', {
      action: 'cloudRegistry.seedLarge',
      targetType: 'cloudRegistry',
      targetName: name,
      registry: name,
      details: { connectedRegistries: nodes.length, clientTokens: clientTokens.length, maxDepth: depth },
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  log(
    `seeded ${name}: ${nodes.length} connected registries (depth ${depth}), ${clientTokens.length} client tokens, ` +
      `${nodes.length + userMaps.length + SYSTEM_SCOPE_MAPS.length} scope maps in ${seconds.toFixed(1)} s`,
  );
  return { created: true, registries: nodes.length, tokens: clientTokens.length + nodes.length, maxDepth: depth, seconds };
}

/** Runs `fn` against DATABASE_URL, or the embedded database of CANOPY_DATA_DIR (migrated first). */
export async function withDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase(join(dataDir(), 'pgdata'));
  if (embedded) {
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_POOL_MAX = '1';
  }
  try {
    await migrate(process.env.DATABASE_URL!);
    return await fn();
  } finally {
    await disconnectDb();
    if (embedded) {
      await embedded.stop();
      delete process.env.DATABASE_URL;
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--')) ?? 'bench';
  await withDatabase(() => seedLarge({ name, replace: args.includes('--replace') }));
}

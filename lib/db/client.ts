// The Prisma client, created on first use so that tests and scripts can choose DATABASE_URL
// first. Secret columns are omitted by default: a query must ask for them explicitly.
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { CHANNEL, announce, notifySql, type Changes } from './change-feed';

const omitSecrets = {
  adminUser: { passwordHash: true },
  accessToken: { verifier: true },
  tokenPassword: { verifier: true },
  signingKey: { privateKey: true },
  webhookEndpoint: { secret: true, previousSecret: true },
} as const;

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  // The embedded database (PGlite) is a single session: one connection is the safe setting.
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  // a connection attempt that cannot succeed fails within 15 s instead of holding the request
  const adapter = new PrismaPg({ connectionString, max, connectionTimeoutMillis: 15_000 });
  return new PrismaClient({ adapter, omit: omitSecrets });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

const globalForDb = globalThis as unknown as { canopyDb?: Db };

export function getDb(): Db {
  globalForDb.canopyDb ??= createClient();
  return globalForDb.canopyDb;
}

export async function disconnectDb() {
  await globalForDb.canopyDb?.$disconnect();
  globalForDb.canopyDb = undefined;
}

// The cloud registries each open transaction changed (filled by recordAudit).
const changedIn = new WeakMap<object, Changes>();

/**
 * Notes that the transaction changes something of this cloud registry (or of everything);
 * `only`: no more than these connected registries' own rows and configurations — no token,
 * scope map or other registry's configuration (see lib/db/change-feed.ts). Without `only`, and
 * once any change of the transaction has none, all of the cloud registry.
 */
export function markChanged(tx: Tx, registry: string, only?: string[]): void {
  const changed = changedIn.get(tx);
  if (!changed) return;
  const held = changed.get(registry);
  if (held === null) return;
  if (!only?.length) changed.set(registry, null);
  else changed.set(registry, new Set([...(held ?? []), ...only.map((n) => n.toLowerCase())]));
}

/**
 * Runs `fn` in one interactive transaction. What it changed is announced to other instances
 * with NOTIFY (delivered on commit) and to this process after the commit.
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let changed: Changes | undefined;
  const result = await getDb().$transaction(
    async (tx) => {
      changed = new Map();
      changedIn.set(tx, changed);
      const value = await fn(tx);
      if (changed.size) await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, ${notifySql(changed)})`;
      return value;
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  if (changed?.size) announce(changed);
  return result;
}

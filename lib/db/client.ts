// The Prisma client, created on first use so that tests and scripts can choose DATABASE_URL
// first. Secret columns are omitted by default: a query must ask for them explicitly.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';

const omitSecrets = {
  adminUser: { passwordHash: true },
  accessToken: { verifier: true },
  tokenPassword: { verifier: true },
  signingKey: { privateKey: true },
} as const;

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  // The embedded database (PGlite) is a single session: one connection is the safe setting.
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const adapter = new PrismaPg({ connectionString, max });
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

/** Runs `fn` in one interactive transaction. */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
}

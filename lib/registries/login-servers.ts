// Login servers: which registry a host[:port] names. A cloud registry's login server names that
// cloud registry alone; connected registries may share one (a fleet of stores often has the same
// LAN layout at every site), but a shared name no longer identifies a registry for Canopy's
// token service, so every connected registry also has an unambiguous service name,
// `<cloud registry>/<connected registry>`.
//
// The LoginServer table (keyed on the normalised name) enforces this in the database: a registry
// references its login server together with the kind of holder it is, so two transactions
// cannot race past the check below. The check is there to name the holder in the 409.
import 'server-only';
import { getDb, type Tx } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import type { LoginServerUsage } from './schemas';

type Db = Tx | ReturnType<typeof getDb>;

/** The unambiguous name Canopy's token service always accepts for a connected registry. */
export function serviceName(cloudRegistry: string, connectedRegistry: string): string {
  return `${cloudRegistry}/${connectedRegistry}`;
}

export function normalizeLoginServer(value: string): string {
  return value.trim().toLowerCase();
}

/** Who uses a login server: its cloud registry, or the connected registries on it. */
export async function loginServerUsage(db: Db, loginServer: string): Promise<LoginServerUsage> {
  const name = normalizeLoginServer(loginServer);
  const [cloud, connected] = await Promise.all([
    db.cloudRegistry.findFirst({ where: { loginServer: name }, select: { name: true } }),
    db.connectedRegistry.findMany({
      where: { loginServer: name },
      select: { name: true, cloudRegistry: { select: { name: true } } },
      orderBy: [{ cloudRegistry: { name: 'asc' } }, { name: 'asc' }],
      take: 50,
    }),
  ]);
  return {
    name,
    cloudRegistry: cloud?.name ?? null,
    connectedRegistries: connected.map((c) => ({
      registry: c.cloudRegistry.name,
      name: c.name,
      serviceName: serviceName(c.cloudRegistry.name, c.name),
    })),
  };
}

export class LoginServerTakenError extends ConflictError {
  constructor(loginServer: string, holder: string) {
    const message = `The login server ${loginServer} is taken by ${holder}: a cloud registry's login server names that cloud registry alone.`;
    super(message, [{ field: 'loginServer', message: `Taken by ${holder}.` }], 'login_server_taken');
  }
}

function describeHolders(usage: LoginServerUsage, exceptCloud?: string): string | null {
  if (usage.cloudRegistry && usage.cloudRegistry !== exceptCloud) return `cloud registry ${usage.cloudRegistry}`;
  const [first, ...rest] = usage.connectedRegistries;
  if (!first) return null;
  const more = rest.length ? ` and ${rest.length} more` : '';
  return `connected registry ${first.name} of ${first.registry}${more}`;
}

/** The 409 for a login server found taken (also when the database refused a racing write). */
export async function loginServerTaken(loginServer: string, forCloud: boolean): Promise<LoginServerTakenError> {
  const usage = await loginServerUsage(getDb(), loginServer);
  const holder = forCloud ? describeHolders(usage) : usage.cloudRegistry ? `cloud registry ${usage.cloudRegistry}` : null;
  return new LoginServerTakenError(usage.name, holder ?? 'another registry');
}

/**
 * Takes a login server for a cloud registry, inside its transaction. Refused (409) when any
 * other registry uses it; a row left over from connected registries that no longer use it is
 * reclaimed. Call releaseLoginServer for the name it had before.
 */
export async function claimCloudLoginServer(tx: Tx, loginServer: string, cloudRegistry?: string): Promise<void> {
  const name = normalizeLoginServer(loginServer);
  const usage = await loginServerUsage(tx, name);
  const holder = describeHolders(usage, cloudRegistry);
  if (holder) throw new LoginServerTakenError(name, holder);
  if (usage.cloudRegistry === cloudRegistry && cloudRegistry) return;
  // A concurrent connected registry taking the name makes this delete or the insert below fail
  // in the database (foreign key or primary key): the caller turns that into the same 409.
  await tx.$executeRaw`DELETE FROM "LoginServer" l WHERE l."name" = ${name} AND l."holder" = 'connected'
    AND NOT EXISTS (SELECT 1 FROM "ConnectedRegistry" c WHERE c."loginServer" = ${name})`;
  await tx.loginServer.create({ data: { name, holder: 'cloud' } });
}

/** Takes (or shares) a login server for a connected registry; refused (409) when a cloud registry holds it. */
export async function claimConnectedLoginServer(tx: Tx, loginServer: string): Promise<void> {
  const name = normalizeLoginServer(loginServer);
  await tx.$executeRaw`INSERT INTO "LoginServer" ("name", "holder") VALUES (${name}, 'connected') ON CONFLICT ("name") DO NOTHING`;
  const row = await tx.loginServer.findUnique({ where: { name }, select: { holder: true } });
  if (row?.holder === 'cloud') {
    const cloud = await tx.cloudRegistry.findFirst({ where: { loginServer: name }, select: { name: true } });
    throw new LoginServerTakenError(name, `cloud registry ${cloud?.name ?? 'another cloud registry'}`);
  }
}

/** Gives back a cloud registry's former login server (after the registry moved off it or was deleted). */
export async function releaseCloudLoginServer(tx: Tx, loginServer: string): Promise<void> {
  await tx.loginServer.deleteMany({ where: { name: normalizeLoginServer(loginServer), holder: 'cloud', cloudRegistries: { none: {} } } });
}

/** A racing write the database refused: the login server's row (primary key) or a registry's reference to it (foreign key). */
export function isLoginServerConflict(error: unknown): boolean {
  const e = error as { code?: string; message?: string; meta?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const text = JSON.stringify(e.meta ?? null) + String(e.message ?? '');
  // P2010: a raw statement failed (23503 foreign key, 23505 unique)
  return ['P2002', 'P2003', 'P2010'].includes(e.code ?? '') && /LoginServer|loginServer/.test(text);
}

/** Connected registries a migration found on a cloud registry's login server: it grants them nothing until fixed. */
export async function detachedConnectedRegistries(db: Db = getDb()) {
  const rows = await db.connectedRegistry.findMany({
    where: { loginServerHolder: null },
    select: { name: true, loginServer: true, cloudRegistry: { select: { name: true } } },
    orderBy: [{ cloudRegistry: { name: 'asc' } }, { name: 'asc' }],
  });
  return rows.map((r) => ({
    registry: r.cloudRegistry.name,
    name: r.name,
    loginServer: r.loginServer,
    serviceName: serviceName(r.cloudRegistry.name, r.name),
  }));
}

// The configurations of many connected registries of one cloud registry, built together: what a
// change concerning all of them (a client token every registry accepts, disabled) rebuilds for
// thousands of waiting polls. Each registry's configuration is the one buildConfig makes for it
// alone (./queries.ts; lib/gateway/config-batch.test.ts compares them over a varied hierarchy),
// but the rows around the registries are read once per rebuild, not once per registry that
// refers to them: a sync scope map is read once though it is a registry's own and its parent's
// child's, a client token, its scope map and its passwords once though thousands of registries
// accept it. Prisma's nested select read them again for each registry (~20,000 rows and ~120,000
// action strings for 2,000 registries, parsed one character at a time by pg's array parser); a
// scope map's actions come here as one JSON text each, which JSON.parse reads far faster.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { changesHeard, rememberRead } from '@/lib/db/last-known';
import type { BuiltConfig } from './config-polls';
import { configColumns, configKey, configOf, passwordFields, type ConfigRow, type GatewayConfig } from './queries';

/** Registries read per batch: each batch's polls are answered as soon as it is built. */
const CONFIG_BATCH = 500;

type Password = ConfigRow['clientTokens'][number]['token']['passwords'][number];
type ScopeMapRow = { name: string; actions: string[] };
type TokenRow = { name: string; status: ConfigRow['syncToken']['status']; scopeMapId: string };
type ParentRow = NonNullable<ConfigRow['parent']>;

const registrySelect = { id: true, ...configColumns, parentId: true, syncTokenId: true, syncScopeMapId: true } as const;

/** What one rebuild has read so far, by id: later batches read only what earlier ones did not. */
class RebuildReads {
  readonly scopeMaps = new Map<string, ScopeMapRow>();
  readonly tokens = new Map<string, TokenRow>();
  readonly passwords = new Map<string, Password[]>();
  readonly registries = new Map<string, ParentRow>();

  constructor(private readonly cloudId: string) {}

  readScopeMaps(ids: Iterable<string>): Promise<void> {
    return readMissing(ids, this.scopeMaps, async (missing) => {
      const rows = await getDb().$queryRaw<{ id: string; name: string; actions: string }[]>`
        SELECT "id", "name", array_to_json("actions")::text AS "actions" FROM "ScopeMap" WHERE "id" = ANY(${missing}::uuid[])`;
      return rows.map((row) => ({ id: row.id, name: row.name, actions: JSON.parse(row.actions) as string[] }));
    });
  }

  readTokens(ids: Iterable<string>): Promise<void> {
    return readMissing(ids, this.tokens, (missing) =>
      getDb().token.findMany({ where: { id: { in: missing } }, select: { id: true, name: true, status: true, scopeMapId: true } }),
    );
  }

  readRegistries(ids: Iterable<string>): Promise<void> {
    return readMissing(ids, this.registries, (missing) =>
      getDb().connectedRegistry.findMany({
        where: { id: { in: missing } },
        select: { id: true, name: true, loginServer: true, tls: true },
      }),
    );
  }

  async readPasswords(tokenIds: Iterable<string>): Promise<void> {
    const missing = unknownIds(tokenIds, this.passwords);
    if (!missing.length) return;
    for (const id of missing) this.passwords.set(id, []);
    const rows = await getDb().tokenPassword.findMany({
      where: { tokenId: { in: missing } },
      orderBy: { slot: 'asc' },
      select: { tokenId: true, ...passwordFields },
    });
    for (const { tokenId, ...password } of rows) this.passwords.get(tokenId)!.push(password);
  }

  /** The rows of these registries of the cloud registry, as buildConfig reads them (registries gone are left out). */
  async configRows(ids: string[]): Promise<Map<string, ConfigRow>> {
    const db = getDb();
    const rows = await db.connectedRegistry.findMany({ where: { id: { in: ids }, cloudRegistryId: this.cloudId }, select: registrySelect });
    const found = rows.map((r) => r.id);
    for (const r of rows) this.registries.set(r.id, { name: r.name, loginServer: r.loginServer, tls: r.tls });
    const [children, links] = await Promise.all([
      db.connectedRegistry.findMany({
        where: { parentId: { in: found } },
        orderBy: { name: 'asc' },
        select: { name: true, mode: true, parentId: true, syncTokenId: true, syncScopeMapId: true },
      }),
      db.connectedRegistryClientToken.findMany({
        where: { connectedRegistryId: { in: found } },
        orderBy: { token: { name: 'asc' } },
        select: { connectedRegistryId: true, tokenId: true },
      }),
      this.readRegistries(rows.flatMap((r) => (r.parentId ? [r.parentId] : []))),
    ]);
    await Promise.all([
      this.readTokens([...rows.map((r) => r.syncTokenId), ...children.map((c) => c.syncTokenId), ...links.map((l) => l.tokenId)]),
      this.readPasswords([...children.map((c) => c.syncTokenId), ...links.map((l) => l.tokenId)]),
      this.readScopeMaps([...rows.map((r) => r.syncScopeMapId), ...children.map((c) => c.syncScopeMapId)]),
    ]);
    await this.readScopeMaps(links.map((l) => this.tokens.get(l.tokenId)?.scopeMapId).filter((id) => id !== undefined));

    const childrenOf = groupBy(children, (c) => c.parentId!);
    const linksOf = groupBy(links, (l) => l.connectedRegistryId);
    const built = new Map<string, ConfigRow>();
    for (const { id, parentId, syncTokenId, syncScopeMapId, ...columns } of rows) {
      const row: ConfigRow = {
        ...columns,
        parent: parentId ? this.need(this.registries, parentId) : null,
        syncToken: this.tokenOf(syncTokenId),
        syncScopeMap: this.actionsOf(syncScopeMapId),
        children: (childrenOf.get(id) ?? []).map((child) => ({
          name: child.name,
          mode: child.mode,
          syncToken: { ...this.tokenOf(child.syncTokenId), passwords: this.need(this.passwords, child.syncTokenId) },
          syncScopeMap: this.actionsOf(child.syncScopeMapId),
        })),
        clientTokens: (linksOf.get(id) ?? []).map(({ tokenId }) => {
          const token = this.need(this.tokens, tokenId);
          return {
            token: {
              name: token.name,
              status: token.status,
              scopeMap: this.need(this.scopeMaps, token.scopeMapId),
              passwords: this.need(this.passwords, tokenId),
            },
          };
        }),
      };
      built.set(id, row);
    }
    return built;
  }

  private tokenOf(id: string) {
    const { name, status } = this.need(this.tokens, id);
    return { name, status };
  }

  private actionsOf(scopeMapId: string) {
    return { actions: this.need(this.scopeMaps, scopeMapId).actions };
  }

  /**
   * A row another read named. Missing only when it was deleted between the two reads (a change,
   * announced, whose own rebuild follows this one): this build then fails and its polls go on
   * waiting for that rebuild.
   */
  private need<T>(rows: Map<string, T>, id: string): T {
    const row = rows.get(id);
    if (row === undefined) throw new Error(`gateway: row ${id} changed while the configurations were read`);
    return row;
  }
}

/** Reads the rows of these ids that `known` lacks into it. */
async function readMissing<T>(
  ids: Iterable<string>,
  known: Map<string, T>,
  read: (missing: string[]) => Promise<(T & { id: string })[]>,
): Promise<void> {
  const missing = unknownIds(ids, known);
  if (!missing.length) return;
  for (const { id, ...row } of await read(missing)) known.set(id, row as T);
}

function unknownIds(ids: Iterable<string>, known: Map<string, unknown>): string[] {
  return [...new Set(ids)].filter((id) => !known.has(id));
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * The configurations of many registries of one cloud registry, in a few queries per batch of 500
 * (registries gone are left out); each batch is handed to `onBatch` as soon as it is built, and
 * each configuration is remembered for the polls that ask again once woken.
 */
export async function buildConfigs(
  cloud: { id: string; name: string; loginServer: string; dataEndpoint: string },
  registryIds: string[],
  onBatch?: (batch: Map<string, BuiltConfig<GatewayConfig>>) => void,
  batchSize = CONFIG_BATCH,
): Promise<Map<string, BuiltConfig<GatewayConfig>>> {
  const built = new Map<string, BuiltConfig<GatewayConfig>>();
  const heard = changesHeard();
  const reads = new RebuildReads(cloud.id);
  for (let from = 0; from < registryIds.length; from += batchSize) {
    const rows = await reads.configRows(registryIds.slice(from, from + batchSize));
    const batch = new Map<string, BuiltConfig<GatewayConfig>>();
    for (const [id, row] of rows) {
      const value = configOf(cloud, row);
      batch.set(id, value);
      built.set(id, value);
      rememberRead(cloud.name, configKey(id), value, heard, value.config.name.toLowerCase());
    }
    onBatch?.(batch);
  }
  return built;
}

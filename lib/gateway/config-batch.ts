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
import type { Prisma } from '@/lib/generated/prisma/client';
import type { BuiltConfig } from './config-polls';
import { configColumns, configKey, configOf, passwordFields, type ConfigRow, type GatewayConfig } from './queries';

/**
 * Registries built per batch: each batch's polls are answered as soon as it is built. Answered
 * early, a batch's edges ask again at once, and their requests delay the batches still to build:
 * with 2,000 polls held, batches of 500 answered the last poll 1.43-1.67 s after the change, one
 * batch of 2,000 1.14-1.30 s (bench:gateway, alternating runs, the same p50).
 */
const CONFIG_BATCH = 2000;
/** Ids per statement of a read by id. */
const READ_CHUNK = 1000;

type Password = ConfigRow['clientTokens'][number]['token']['passwords'][number];
type ScopeMapRow = { name: string; actions: string[] };
type TokenRow = { name: string; status: ConfigRow['syncToken']['status']; scopeMapId: string };

// a registry's row as the build and the read-ahead (./reask.ts) read it: what either needs
const rebuildRegistrySelect = {
  id: true,
  cloudRegistryId: true,
  ...configColumns,
  parentId: true,
  syncTokenId: true,
  syncScopeMapId: true,
  activationStatus: true,
  instanceId: true,
} as const satisfies Prisma.ConnectedRegistrySelect;
type RegistryRow = Prisma.ConnectedRegistryGetPayload<{ select: typeof rebuildRegistrySelect }>;

/** Rows by id, each read once: ids asked for while their read is in flight wait for that read. */
class Rows<T> {
  private readonly values = new Map<string, T>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly read: (ids: string[]) => Promise<Iterable<[string, T]>>) {}

  async load(ids: Iterable<string>): Promise<void> {
    const waits = new Set<Promise<void>>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      if (this.values.has(id)) continue;
      const reading = this.reading.get(id);
      if (reading) waits.add(reading);
      else missing.push(id);
    }
    if (missing.length) {
      const read = (async () => {
        for (let from = 0; from < missing.length; from += READ_CHUNK) {
          for (const [id, row] of await this.read(missing.slice(from, from + READ_CHUNK))) this.values.set(id, row);
        }
      })();
      for (const id of missing) this.reading.set(id, read);
      waits.add(read);
    }
    await Promise.all(waits);
  }

  get(id: string): T | undefined {
    return this.values.get(id);
  }

  /**
   * A row another read named. Missing only when it was deleted between the two reads (a change,
   * announced, whose own rebuild follows this one): this build then fails and its polls go on
   * waiting for that rebuild.
   */
  need(id: string): T {
    const row = this.values.get(id);
    if (row === undefined) throw new Error(`gateway: row ${id} changed while the configurations were read`);
    return row;
  }
}

const byId = <R extends { id: string }>(rows: R[]): [string, R][] => rows.map((row) => [row.id, row]);

/**
 * What the rebuild that follows one change has read of a cloud registry, by id, shared by its
 * batches and by the read-ahead for the polls it wakes (./reask.ts), which runs beside it: a
 * scope map, a token, its passwords and a registry are read once however many registries refer
 * to them.
 */
export class RebuildReads {
  readonly registries = new Rows<RegistryRow>(async (ids) =>
    byId(await getDb().connectedRegistry.findMany({ where: { id: { in: ids } }, select: rebuildRegistrySelect })),
  );
  readonly tokens = new Rows<TokenRow>(async (ids) =>
    byId(await getDb().token.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, status: true, scopeMapId: true } })),
  );
  readonly passwords = new Rows<Password[]>(async (tokenIds) => {
    const grouped = new Map<string, Password[]>(tokenIds.map((id) => [id, []]));
    const rows = await getDb().tokenPassword.findMany({
      where: { tokenId: { in: tokenIds } },
      orderBy: { slot: 'asc' },
      select: { tokenId: true, ...passwordFields },
    });
    for (const { tokenId, ...password } of rows) grouped.get(tokenId)!.push(password);
    return grouped;
  });
  readonly scopeMaps = new Rows<ScopeMapRow>(async (ids) => {
    const rows = await getDb().$queryRaw<{ id: string; name: string; actions: string }[]>`
      SELECT "id", "name", array_to_json("actions")::text AS "actions" FROM "ScopeMap" WHERE "id" = ANY(${ids}::uuid[])`;
    return rows.map((row) => [row.id, { name: row.name, actions: JSON.parse(row.actions) as string[] }]);
  });

  constructor(private readonly cloudId: string) {}

  /** The rows of these registries of the cloud registry, as buildConfig reads them (registries gone are left out). */
  async configRows(ids: string[]): Promise<Map<string, ConfigRow>> {
    const db = getDb();
    await this.registries.load(ids);
    const rows: RegistryRow[] = [];
    for (const id of ids) {
      const row = this.registries.get(id);
      if (row?.cloudRegistryId === this.cloudId) rows.push(row);
    }
    const found = rows.map((r) => r.id);
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
      this.registries.load(rows.flatMap((r) => (r.parentId ? [r.parentId] : []))),
    ]);
    await Promise.all([
      this.tokens.load([...rows.map((r) => r.syncTokenId), ...children.map((c) => c.syncTokenId), ...links.map((l) => l.tokenId)]),
      this.passwords.load([...children.map((c) => c.syncTokenId), ...links.map((l) => l.tokenId)]),
      this.scopeMaps.load([...rows.map((r) => r.syncScopeMapId), ...children.map((c) => c.syncScopeMapId)]),
    ]);
    await this.scopeMaps.load(links.map((l) => this.tokens.get(l.tokenId)?.scopeMapId).filter((id) => id !== undefined));

    const childrenOf = groupBy(children, (c) => c.parentId!);
    const linksOf = groupBy(links, (l) => l.connectedRegistryId);
    const built = new Map<string, ConfigRow>();
    for (const r of rows) {
      const parent = r.parentId ? this.registries.need(r.parentId) : null;
      // its own columns as they are (configOf reads those it carries), the rows around it by id
      const row: ConfigRow = {
        ...r,
        parent: parent && { name: parent.name, loginServer: parent.loginServer, tls: parent.tls },
        syncToken: this.tokenOf(r.syncTokenId),
        syncScopeMap: this.actionsOf(r.syncScopeMapId),
        children: (childrenOf.get(r.id) ?? []).map((child) => ({
          name: child.name,
          mode: child.mode,
          syncToken: { ...this.tokenOf(child.syncTokenId), passwords: this.passwords.need(child.syncTokenId) },
          syncScopeMap: this.actionsOf(child.syncScopeMapId),
        })),
        clientTokens: (linksOf.get(r.id) ?? []).map(({ tokenId }) => {
          const token = this.tokens.need(tokenId);
          return {
            token: {
              name: token.name,
              status: token.status,
              scopeMap: this.scopeMaps.need(token.scopeMapId),
              passwords: this.passwords.need(tokenId),
            },
          };
        }),
      };
      built.set(r.id, row);
    }
    return built;
  }

  private tokenOf(id: string) {
    const { name, status } = this.tokens.need(id);
    return { name, status };
  }

  private actionsOf(scopeMapId: string) {
    return { actions: this.scopeMaps.need(scopeMapId).actions };
  }
}

// the one of the change heard last, per cloud registry (the build and the read-ahead of its
// rebuild ask for it apart; an older rebuild still running keeps its own)
const shared = { heard: -1, reads: new Map<string, RebuildReads>() };

/** The reads of the rebuild of `cloudId` that follows the changes heard so far (`heard`: changesHeard()). */
export function rebuildReads(cloudId: string, heard: number): RebuildReads {
  if (shared.heard !== heard) {
    shared.heard = heard;
    shared.reads.clear();
  }
  let reads = shared.reads.get(cloudId);
  if (!reads) shared.reads.set(cloudId, (reads = new RebuildReads(cloudId)));
  return reads;
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
 * The configurations of many registries of one cloud registry, in a few queries per batch of 2,000
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
  const reads = rebuildReads(cloud.id, heard);
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

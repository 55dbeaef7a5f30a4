// GET CR/permissions: what a connected registry's sync token holds — the repositories and gateway
// actions of its sync scope map — and where each came from: the registry's own repositories, or
// carried for a descendant that syncs through it.
import 'server-only';
import { transaction } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import { parseAction } from '@/lib/scope-maps/grammar';
import { resolveCloudRegistry } from './cloud-queries';
import { loadHierarchy } from './service/hierarchy';
import { descendantsOf } from './sync-scope';
import { sameName } from '@/lib/db/like';
import type { PermissionSource, SyncPermissionsDto } from './schemas';

export async function syncPermissions(registryName: string, name: string): Promise<SyncPermissionsDto> {
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    const row = await tx.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: sameName(name) },
      select: { id: true, name: true, syncToken: { select: { name: true } }, syncScopeMap: { select: { name: true, actions: true } } },
    });
    if (!row) throw new NotFoundError(`Connected registry "${name}"`);
    const nodes = await loadHierarchy(tx, cloud.id);
    const self = nodes.find((n) => n.id === row.id)!;
    const holders = [self, ...descendantsOf(nodes, self.id).sort((a, b) => a.name.localeCompare(b.name))];
    const byLowerName = new Map(holders.map((n) => [n.name.toLowerCase(), n]));

    const repositories = new Map<string, SyncPermissionsDto['repositories'][number]>();
    const gateway = new Map<string, PermissionSource>();
    for (const action of row.syncScopeMap.actions) {
      const parsed = parseAction(action);
      if ('error' in parsed) continue;
      if (parsed.kind === 'gateway') {
        const holder = byLowerName.get(parsed.registry);
        const key = holder?.name ?? parsed.registry;
        const entry = gateway.get(key) ?? {
          registry: key,
          kind: holder === self ? ('own' as const) : ('descendant' as const),
          actions: [],
        };
        entry.actions.push(parsed.action);
        gateway.set(key, entry);
        continue;
      }
      const entry = repositories.get(parsed.repository) ?? { name: parsed.repository, actions: [], from: [] };
      entry.actions.push(parsed.action);
      repositories.set(parsed.repository, entry);
      for (const holder of holders) {
        if (!holder.repositoryActions.includes(action)) continue;
        const source = entry.from.find((s) => s.registry === holder.name);
        if (source) source.actions.push(parsed.action);
        else entry.from.push({ registry: holder.name, kind: holder === self ? 'own' : 'descendant', actions: [parsed.action] });
      }
    }
    const byName = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    return {
      registry: row.name,
      syncToken: row.syncToken.name,
      syncScopeMap: row.syncScopeMap.name,
      repositories: byName(repositories),
      // its own first, then its descendants by name
      gateway: byName(gateway).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'own' ? -1 : 1)),
    };
  });
}

// What every change to a hierarchy shares: the hierarchy as nodes, and the sync scope maps
// derived from it (a registry's own repositories, its descendants', the gateway actions), kept
// within the 500-permission limit of a scope map.
import 'server-only';
import type { Tx } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { MAX_REPOSITORY_PERMISSIONS, normalizeActions, parseAction } from '@/lib/scope-maps/grammar';
import type { FeatureStatus } from '../rules';
import { ancestorsOf, childrenIndex, descendantsOf, repositoriesOf, syncScopeActions, type HierarchyNode } from '../sync-scope';

export type Node = HierarchyNode & { syncScopeMapId: string; loginServer: string; tls: FeatureStatus; repositoryActions: string[] };

export async function loadHierarchy(tx: Tx, cloudRegistryId: string): Promise<Node[]> {
  return tx.connectedRegistry.findMany({
    where: { cloudRegistryId },
    select: {
      id: true,
      name: true,
      parentId: true,
      mode: true,
      repositories: true,
      repositoryActions: true,
      syncScopeMapId: true,
      loginServer: true,
      tls: true,
    },
  });
}

/** Recomputes the sync scope maps of the given registries from the hierarchy. */
export async function refreshSyncScopeMaps(tx: Tx, nodes: Node[], ids: Iterable<string>): Promise<void> {
  const index = childrenIndex(nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of new Set(ids)) {
    const node = byId.get(id);
    if (!node) continue;
    const actions = syncScopeActions(node, descendantsOf(nodes, id, index));
    assertWithinPermissionLimit(node.name, actions);
    await tx.scopeMap.update({ where: { id: node.syncScopeMapId }, data: { actions } });
  }
}

/** A sync scope map, like any scope map, holds at most 500 repository permissions. */
export function assertWithinPermissionLimit(registryName: string, actions: string[]) {
  const permissions = actions.filter((a) => a.startsWith('repositories/')).length;
  if (permissions > MAX_REPOSITORY_PERMISSIONS) {
    throw new ConflictError(
      `The sync scope map of ${registryName} would hold ${permissions} repository permissions; a scope map holds at most ${MAX_REPOSITORY_PERMISSIONS}. Sync fewer repositories through it.`,
      [{ field: 'repositories', message: `At most ${MAX_REPOSITORY_PERMISSIONS} repository permissions per sync scope map.` }],
      'too_many_permissions',
    );
  }
}

/** Stores a registry's own repository actions, and the list of their repositories beside them. */
async function setOwnRepositoryActions(tx: Tx, node: Node, actions: string[]) {
  node.repositoryActions = normalizeActions(actions);
  node.repositories = repositoriesOf(node.repositoryActions);
  await tx.connectedRegistry.update({
    where: { id: node.id },
    data: { repositoryActions: node.repositoryActions, repositories: node.repositories },
  });
}

/**
 * Changes what a registry syncs: `add` goes to its own repository actions, and what `removes`
 * matches leaves it and every descendant (they sync through it); then its, its descendants' and
 * its ancestors' sync scope maps are recomputed. Returns the descendants that lost something.
 */
export async function changeRepositoryActions(
  tx: Tx,
  nodes: Node[],
  self: Node,
  change: { add: string[]; removes: (action: string) => boolean; field: string },
): Promise<string[]> {
  const descendants = descendantsOf(nodes, self.id);
  const next = [...self.repositoryActions.filter((a) => !change.removes(a)), ...change.add];
  if (repositoriesOf(next).length === 0 && descendants.length === 0) {
    throw new ConflictError(`${self.name} must sync at least one repository; add another before removing the last.`, [
      { field: change.field, message: 'A connected registry needs at least one repository.' },
    ]);
  }
  await setOwnRepositoryActions(tx, self, next);
  const touched: string[] = [];
  for (const d of descendants) {
    const kept = d.repositoryActions.filter((a) => !change.removes(a));
    if (kept.length !== d.repositoryActions.length) {
      touched.push(d.name);
      await setOwnRepositoryActions(tx, d, kept);
    }
  }
  await refreshSyncScopeMaps(tx, nodes, [self.id, ...descendants.map((d) => d.id), ...ancestorsOf(nodes, self.id).map((a) => a.id)]);
  return touched;
}

/** The repository an action is about (null for a gateway action or a malformed one). */
export function repositoryOf(action: string): string | null {
  const parsed = parseAction(action);
  return 'error' in parsed || parsed.kind !== 'repository' ? null : parsed.repository;
}

export function findByName<N extends { name: string }>(nodes: N[], name: string): N | undefined {
  const lower = name.toLowerCase();
  return nodes.find((n) => n.name.toLowerCase() === lower);
}

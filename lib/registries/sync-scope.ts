// A sync scope map is derived from the hierarchy: a registry's own repository actions and
// gateway actions, plus those of every descendant. Recomputing it from the hierarchy after
// each change keeps ancestors right after create, permissions, a sync scope map edit and delete.
import { GATEWAY_ACTIONS, gatewayAction, normalizeActions, parseAction, repositoryAction } from '@/lib/scope-maps/grammar';
import { modeRepositoryActions, type Mode } from './rules';

export type HierarchyNode = {
  id: string;
  name: string;
  parentId: string | null;
  mode: Mode;
  repositories: string[];
  /**
   * Its own repository actions (stored per registry: an edited sync scope map or an adopted
   * token's map may grant less than the mode allows). Absent: its repositories with its mode's
   * actions, which is what creation and POST CR/permissions grant.
   */
  repositoryActions?: string[];
};

/** A repository list with a mode's actions: what a registry syncs by default. */
export function modeActionsFor(repositories: string[], mode: Mode): string[] {
  return normalizeActions(repositories.flatMap((repo) => modeRepositoryActions(mode).map((a) => repositoryAction(repo, a))));
}

export function ownRepositoryActions(node: HierarchyNode): string[] {
  return node.repositoryActions ?? modeActionsFor(node.repositories, node.mode);
}

export function childrenIndex<N extends HierarchyNode>(nodes: N[]): Map<string | null, N[]> {
  const index = new Map<string | null, N[]>();
  for (const n of nodes) {
    const list = index.get(n.parentId) ?? [];
    list.push(n);
    index.set(n.parentId, list);
  }
  return index;
}

export function descendantsOf<N extends HierarchyNode>(nodes: N[], id: string, index = childrenIndex(nodes)): N[] {
  const out: N[] = [];
  const stack = [...(index.get(id) ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...(index.get(n.id) ?? []));
  }
  return out;
}

/** The chain of parents, nearest first. */
export function ancestorsOf<N extends HierarchyNode>(nodes: N[], id: string): N[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: N[] = [];
  let current = byId.get(id)?.parentId ?? null;
  while (current) {
    const n = byId.get(current);
    if (!n || out.includes(n)) break;
    out.push(n);
    current = n.parentId;
  }
  return out;
}

export function syncScopeActions(node: HierarchyNode, descendants: HierarchyNode[]): string[] {
  const actions: string[] = [];
  for (const n of [node, ...descendants]) {
    for (const a of GATEWAY_ACTIONS) actions.push(gatewayAction(n.name, a));
    actions.push(...ownRepositoryActions(n));
  }
  return normalizeActions(actions);
}

/**
 * The repositories and the registries (lowercase names) whose actions a sync scope map carries,
 * in one reading of its actions (an ancestor's map carries all its descendants' actions).
 */
export function syncTargetsOf(actions: string[]): { repositories: string[]; registries: string[] } {
  const repositories = new Set<string>();
  const registries = new Set<string>();
  for (const a of actions) {
    const p = parseAction(a);
    if ('error' in p) continue;
    if (p.kind === 'repository') repositories.add(p.repository);
    else registries.add(p.registry);
  }
  return { repositories: [...repositories].sort(), registries: [...registries].sort() };
}

/** The repositories a sync scope map grants: what the registry syncs with its parent. */
export function repositoriesOf(actions: string[]): string[] {
  return syncTargetsOf(actions).repositories;
}

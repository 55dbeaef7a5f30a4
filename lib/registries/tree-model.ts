// The hierarchy tree on the client, as far as it is loaded: an index of the levels read so far
// (or of one search's matches and the paths to them), and the flat list of visible rows that
// both the rendering and the keyboard navigation walk (a search's rows: its matches alone). Pure functions, no React, so they can be
// tested; they only ever see what is on screen, never the whole fleet.
import type { HierarchyLevel, HierarchyLevelNode, HierarchySearch } from './hierarchy-schemas';
import type { ActivationStatus, ConnectionStateName, Mode } from './rules';

/** A node of the tree with every value spelled out (the documents leave the usual ones out). */
export type HierarchyTreeNode = {
  name: string;
  parent: string | null;
  mode: Mode;
  connectionState: ConnectionStateName;
  activationStatus: ActivationStatus;
  /** it never reported to Canopy: deployed nowhere yet */
  notDeployed: boolean;
  disabled: boolean;
  /** its last finished sync run, or its last garbage collection, failed */
  syncFailed: boolean;
  /** how many registries are directly under it */
  childCount: number;
};

// react-query keeps an unchanged node's object across polls; keeping its expansion too lets
// memoized rows skip re-rendering
const expansions = new WeakMap<HierarchyLevelNode, HierarchyTreeNode>();

export function expandNode(n: HierarchyLevelNode): HierarchyTreeNode {
  let full = expansions.get(n);
  if (!full) {
    full = {
      name: n.name,
      parent: n.parent,
      mode: n.mode ?? 'ReadWrite',
      connectionState: n.connectionState,
      activationStatus: n.activationStatus ?? 'Active',
      notDeployed: n.notDeployed ?? false,
      disabled: n.disabled ?? false,
      syncFailed: n.syncFailed ?? false,
      childCount: n.childCount,
    };
    expansions.set(n, full);
  }
  return full;
}

/** The key of the cloud registry (the root). Connected registry names are never empty. */
export const ROOT = '';

export type HierarchyIndex = {
  registry: { name: string; loginServer: string };
  byName: ReadonlyMap<string, HierarchyTreeNode>;
  /** parent key (ROOT for the cloud registry) → the children loaded so far, by name */
  children: ReadonlyMap<string, readonly string[]>;
  /** parent key → how many children it has in all (for the levels loaded) */
  totals: ReadonlyMap<string, number>;
  /** name → parent key */
  parentOf: ReadonlyMap<string, string>;
  /** name → its nearest disabled ancestor, for the registries under a disabled one (they cannot sync through it) */
  disabledAncestor: ReadonlyMap<string, string>;
};

const NO_CHILDREN: readonly string[] = [];

function finishIndex(
  registry: HierarchyIndex['registry'],
  byName: Map<string, HierarchyTreeNode>,
  children: Map<string, string[]>,
  totals: Map<string, number>,
): HierarchyIndex {
  const parentOf = new Map<string, string>();
  for (const [parent, names] of children) for (const name of names) parentOf.set(name, parent);
  // from the top down, so that a parent is marked before its children
  const disabledAncestor = new Map<string, string>();
  const queue = [ROOT];
  const seen = new Set<string>();
  while (queue.length) {
    const key = queue.shift()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const above = key === ROOT ? undefined : byName.get(key)!.disabled ? key : disabledAncestor.get(key);
    for (const child of children.get(key) ?? NO_CHILDREN) {
      if (above) disabledAncestor.set(child, above);
      queue.push(child);
    }
  }
  return { registry, byName, children, totals, parentOf, disabledAncestor };
}

/** The index of the levels loaded so far, keyed by their parent (ROOT for the top level). */
export function buildLevelIndex(registry: HierarchyIndex['registry'], levels: ReadonlyMap<string, HierarchyLevel>): HierarchyIndex {
  const byName = new Map<string, HierarchyTreeNode>();
  const children = new Map<string, string[]>();
  const totals = new Map<string, number>();
  for (const [key, level] of levels) {
    totals.set(key, level.total);
    children.set(
      key,
      level.items.map((n) => {
        byName.set(n.name, expandNode(n));
        return n.name;
      }),
    );
  }
  // a level whose parent is gone (deleted since) is left out
  for (const key of children.keys()) if (key !== ROOT && !byName.has(key)) children.delete(key);
  return finishIndex(registry, byName, children, totals);
}

export type SearchView = {
  query: string;
  /** how many registries match in all (capped: see totalCapped) */
  total: number;
  totalCapped: boolean;
  /** the matches shown */
  matches: ReadonlySet<string>;
  /** the matches and the paths to them */
  index: HierarchyIndex;
};

/** A search's answer: the matches, and every registry on the path to them (for their paths and "parent disabled"). */
export function buildSearchView(registry: HierarchyIndex['registry'], search: HierarchySearch): SearchView {
  const byName = new Map<string, HierarchyTreeNode>();
  for (const n of search.nodes) byName.set(n.name, expandNode(n));
  const children = new Map<string, string[]>();
  // the nodes come sorted by name, and so does each list of children
  for (const n of search.nodes) {
    const parent = n.parent && byName.has(n.parent) ? n.parent : ROOT;
    const list = children.get(parent);
    if (list) list.push(n.name);
    else children.set(parent, [n.name]);
  }
  const totals = new Map([...children].map(([key, list]) => [key, list.length]));
  return {
    query: search.query,
    total: search.total,
    totalCapped: search.totalCapped,
    matches: new Set(search.matches),
    index: finishIndex(registry, byName, children, totals),
  };
}

export function childrenOf(index: HierarchyIndex, key: string): readonly string[] {
  return index.children.get(key) ?? NO_CHILDREN;
}

/** How many registries are directly under `key`: its level's total when loaded, else its own count. */
export function childCountOf(index: HierarchyIndex, key: string): number {
  return index.totals.get(key) ?? index.byName.get(key)?.childCount ?? 0;
}

/** The keys above `key`, nearest first, ending with ROOT (as far as they are loaded). */
export function ancestorKeys(index: HierarchyIndex, key: string): string[] {
  const out: string[] = [];
  let current = index.parentOf.get(key);
  while (current !== undefined) {
    out.push(current);
    if (current === ROOT) break;
    current = index.parentOf.get(current);
  }
  return out;
}

export type NodeRow = {
  kind: 'node';
  key: string;
  /** aria-level: the root is 1 */
  level: number;
  posinset: number;
  setsize: number;
  /** it has children (during a search: children that are shown) */
  hasChildren: boolean;
  expanded: boolean;
  /** expanded, and its children are on their way */
  loading: boolean;
};

/** After a page of children, the row that loads the next page. */
export type MoreRow = { kind: 'more'; key: string; parent: string; level: number; shown: number; total: number };

export type VisibleRow = NodeRow | MoreRow;

export const moreKey = (parent: string) => `more:${parent}`;

/**
 * The rows on screen in depth-first order: the root, then the loaded children of every expanded
 * row (and a "more" row after a level that has more).
 */
export function visibleRows(index: HierarchyIndex, expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const visit = (key: string, level: number, posinset: number, setsize: number) => {
    const kids = index.children.get(key);
    const total = childCountOf(index, key);
    const hasChildren = total > 0;
    const isExpanded = hasChildren && expanded.has(key);
    rows.push({ kind: 'node', key, level, posinset, setsize, hasChildren, expanded: isExpanded, loading: isExpanded && !kids });
    if (!isExpanded || !kids) return;
    kids.forEach((k, i) => visit(k, level + 1, i + 1, Math.max(total, kids.length)));
    if (kids.length < total) rows.push({ kind: 'more', key: moreKey(key), parent: key, level: level + 1, shown: kids.length, total });
  };
  visit(ROOT, 1, 1, 1);
  return rows;
}

/**
 * A search's answer as a flat list: one row per match shown, by name (the server's order), each
 * at the top level; the path to a match is shown beside it (matchPath), not as rows of its own.
 */
export function matchRows(view: SearchView): NodeRow[] {
  const setsize = view.matches.size;
  return [...view.matches].map((key, i) => ({
    kind: 'node',
    key,
    level: 1,
    posinset: i + 1,
    setsize,
    hasChildren: false,
    expanded: false,
    loading: false,
  }));
}

/** The registries above a match, from the top level down to its parent (the cloud registry left out). */
export function matchPath(view: SearchView, key: string): string[] {
  return ancestorKeys(view.index, key)
    .filter((k) => k !== ROOT)
    .reverse();
}

/**
 * A path as a compact breadcrumb: the top-level registry, then (when the path is longer than three)
 * an ellipsis for the middle, then the two nearest ancestors.
 */
export function compactPath(path: readonly string[]): string[] {
  return path.length <= 3 ? [...path] : [path[0], '…', ...path.slice(-2)];
}

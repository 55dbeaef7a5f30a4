// The hierarchy tree on the client: an index built once per snapshot of hierarchyTree(), the
// search filter (matches and the path to them), and the flat list of visible rows that both the
// rendering and the keyboard navigation walk. Pure functions, no React, so they can be tested
// and stay fast with 1,000 registries.
import type { ActivationStatus, ConnectionStateName, Mode } from './rules';
import type { HierarchyDocumentNode, HierarchyTree } from './schemas';

/** A node of the tree with every value spelled out (the document leaves the usual ones out). */
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
};

// react-query keeps an unchanged node's object across polls; keeping its expansion too lets
// memoized rows skip re-rendering
const expansions = new WeakMap<HierarchyDocumentNode, HierarchyTreeNode>();

export function expandNode(n: HierarchyDocumentNode): HierarchyTreeNode {
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
    };
    expansions.set(n, full);
  }
  return full;
}

/** The key of the cloud registry (the root). Connected registry names are never empty. */
export const ROOT = '';

export type HierarchyIndex = {
  registry: HierarchyTree['registry'];
  byName: ReadonlyMap<string, HierarchyTreeNode>;
  /** parent key (ROOT for the cloud registry) → child names, sorted by name */
  children: ReadonlyMap<string, readonly string[]>;
  /** name → parent key */
  parentOf: ReadonlyMap<string, string>;
  /** every key in depth-first order, the root first */
  preorder: readonly string[];
  /** lower-case names, parallel to `preorder`, for search */
  searchText: readonly string[];
  /** name → its nearest disabled ancestor, for the registries under a disabled one (they cannot sync through it) */
  disabledAncestor: ReadonlyMap<string, string>;
};

const NO_CHILDREN: readonly string[] = [];

export function buildHierarchyIndex(tree: HierarchyTree): HierarchyIndex {
  const byName = new Map<string, HierarchyTreeNode>();
  for (const n of tree.nodes) byName.set(n.name, expandNode(n));
  const children = new Map<string, string[]>();
  const parentOf = new Map<string, string>();
  for (const n of tree.nodes) {
    // a parent that is missing from the snapshot should not happen; show the node at the top
    const parent = n.parent && byName.has(n.parent) ? n.parent : ROOT;
    parentOf.set(n.name, parent);
    const list = children.get(parent);
    if (list) list.push(n.name);
    else children.set(parent, [n.name]);
  }
  for (const list of children.values()) list.sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));

  const preorder: string[] = [];
  const stack = [ROOT];
  const seen = new Set<string>();
  while (stack.length) {
    const key = stack.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    preorder.push(key);
    const kids = children.get(key);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  const searchText = preorder.map((k) => (k === ROOT ? tree.registry.name : k).toLowerCase());
  // in preorder a parent comes before its children
  const disabledAncestor = new Map<string, string>();
  for (const key of preorder) {
    const parent = key === ROOT ? ROOT : parentOf.get(key)!;
    if (parent === ROOT) continue;
    const above = byName.get(parent)!.disabled ? parent : disabledAncestor.get(parent);
    if (above) disabledAncestor.set(key, above);
  }
  return { registry: tree.registry, byName, children, parentOf, preorder, searchText, disabledAncestor };
}

export function childrenOf(index: HierarchyIndex, key: string): readonly string[] {
  return index.children.get(key) ?? NO_CHILDREN;
}

/** The keys above `key`, nearest first, ending with ROOT. */
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

export type SearchResult = {
  query: string;
  /** the matching keys that are shown (at most `limit`, in tree order) */
  matches: ReadonlySet<string>;
  /** the matches and every node on the path to them */
  visible: ReadonlySet<string>;
  /** how many nodes match in all */
  total: number;
};

/** Nodes whose name contains `query` (case-insensitive), with the path to each. */
export function searchHierarchy(index: HierarchyIndex, query: string, limit = 100): SearchResult | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const matches = new Set<string>();
  const visible = new Set<string>();
  let total = 0;
  for (let i = 0; i < index.preorder.length; i++) {
    if (!index.searchText[i].includes(q)) continue;
    total += 1;
    if (matches.size >= limit) continue;
    const key = index.preorder[i];
    matches.add(key);
    let current: string | undefined = key;
    while (current !== undefined && !visible.has(current)) {
      visible.add(current);
      current = current === ROOT ? undefined : index.parentOf.get(current);
    }
  }
  return { query: q, matches, visible, total };
}

export type VisibleRow = {
  key: string;
  /** aria-level: the root is 1 */
  level: number;
  posinset: number;
  setsize: number;
  /** children shown under it when expanded (the search hides the others) */
  hasChildren: boolean;
  expanded: boolean;
};

/**
 * The rows on screen in depth-first order: the root, then the children of every expanded row.
 * With a search, only the matches and the paths to them, every path expanded.
 */
export function visibleRows(index: HierarchyIndex, expanded: ReadonlySet<string>, search: SearchResult | null): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const shownChildren = (key: string) => {
    const kids = childrenOf(index, key);
    return search ? kids.filter((k) => search.visible.has(k)) : kids;
  };
  const visit = (key: string, level: number, posinset: number, setsize: number) => {
    const kids = shownChildren(key);
    const isExpanded = kids.length > 0 && (search ? !expanded.has(`-${key}`) : expanded.has(key));
    rows.push({ key, level, posinset, setsize, hasChildren: kids.length > 0, expanded: isExpanded });
    if (isExpanded) kids.forEach((k, i) => visit(k, level + 1, i + 1, kids.length));
  };
  if (search && search.visible.size === 0) return rows;
  visit(ROOT, 1, 1, 1);
  return rows;
}

/**
 * During a search every path is expanded; collapsing one is remembered as `-<key>` in the same
 * set, so a search never loses what the user had expanded before it.
 */
export function toggleKey(key: string, searching: boolean): string {
  return searching ? `-${key}` : key;
}

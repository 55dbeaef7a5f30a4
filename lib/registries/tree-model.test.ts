import { describe, expect, it } from 'vitest';
import type { HierarchyLevel, HierarchyLevelNode, HierarchySearch } from './hierarchy-schemas';
import {
  ROOT,
  ancestorKeys,
  buildLevelIndex,
  buildSearchView,
  childCountOf,
  compactPath,
  matchPath,
  matchRows,
  moreKey,
  visibleRows,
} from './tree-model';

const registry = { name: 'contoso', loginServer: 'contoso.azurecr.io' };
const node = (name: string, parent: string | null, childCount = 0, extra: Partial<HierarchyLevelNode> = {}): HierarchyLevelNode => ({
  name,
  parent,
  connectionState: 'Online',
  childCount,
  ...extra,
});
const level = (parent: string | null, items: HierarchyLevelNode[], total = items.length): HierarchyLevel => ({
  parent,
  total,
  items,
  next: null,
});

// contoso ─┬─ alpha ─┬─ alpha1 ── deep
//          │         └─ alpha2
//          └─ bravo ── (one child, not loaded)
const top = level(null, [node('alpha', null, 2), node('bravo', null, 1)]);
const underAlpha = level('alpha', [node('alpha1', 'alpha', 1), node('alpha2', 'alpha')]);
const underAlpha1 = level('alpha1', [node('deep', 'alpha1')]);
const loaded = (...levels: [string, HierarchyLevel][]) => buildLevelIndex(registry, new Map(levels));

describe('the index of the loaded levels', () => {
  it('holds the loaded children of each key, the counts of the others, and the path up', () => {
    const index = loaded([ROOT, top], ['alpha', underAlpha], ['alpha1', underAlpha1]);
    expect(index.children.get(ROOT)).toEqual(['alpha', 'bravo']);
    expect(index.children.get('bravo')).toBeUndefined();
    expect(childCountOf(index, 'bravo')).toBe(1);
    expect(childCountOf(index, ROOT)).toBe(2);
    expect(ancestorKeys(index, 'deep')).toEqual(['alpha1', 'alpha', ROOT]);
  });

  it('marks every loaded registry under a disabled one with its nearest disabled ancestor', () => {
    const index = loaded(
      [ROOT, level(null, [node('alpha', null, 2, { disabled: true }), node('bravo', null, 1)])],
      ['alpha', level('alpha', [node('alpha1', 'alpha', 1, { disabled: true }), node('alpha2', 'alpha')])],
      ['alpha1', underAlpha1],
    );
    expect(Object.fromEntries(index.disabledAncestor)).toEqual({ alpha1: 'alpha', alpha2: 'alpha', deep: 'alpha1' });
    expect(loaded([ROOT, top], ['alpha', underAlpha]).disabledAncestor.size).toBe(0);
  });

  it('leaves out a level whose parent is no longer loaded (deleted since)', () => {
    const index = loaded([ROOT, level(null, [node('bravo', null, 1)])], ['alpha', underAlpha]);
    expect(index.children.has('alpha')).toBe(false);
    expect(index.byName.has('bravo')).toBe(true);
  });
});

describe('the visible rows', () => {
  it('show the loaded children of expanded rows, with their level and position among all the siblings', () => {
    const index = loaded([ROOT, top], ['alpha', underAlpha]);
    const rows = visibleRows(index, new Set([ROOT, 'alpha']));
    expect(rows.map((r) => r.kind === 'node' && [r.key, r.level, r.posinset, r.setsize])).toEqual([
      [ROOT, 1, 1, 1],
      ['alpha', 2, 1, 2],
      ['alpha1', 3, 1, 2],
      ['alpha2', 3, 2, 2],
      ['bravo', 2, 2, 2],
    ]);
    expect(rows.find((r) => r.key === 'alpha1')).toMatchObject({ hasChildren: true, expanded: false, loading: false });
    expect(rows.find((r) => r.key === 'alpha2')).toMatchObject({ hasChildren: false, expanded: false });
  });

  it('mark an expanded row whose children are not loaded yet as loading', () => {
    const rows = visibleRows(loaded([ROOT, top]), new Set([ROOT, 'bravo']));
    expect(rows.find((r) => r.key === 'bravo')).toMatchObject({ hasChildren: true, expanded: true, loading: true });
    expect(rows).toHaveLength(3);
  });

  it('end a level that has more children than loaded with a row that loads more', () => {
    const wide = level(null, [node('alpha', null), node('bravo', null)], 5000);
    const rows = visibleRows(loaded([ROOT, wide]), new Set([ROOT]));
    expect(rows.map((r) => r.key)).toEqual([ROOT, 'alpha', 'bravo', moreKey(ROOT)]);
    expect(rows[1]).toMatchObject({ posinset: 1, setsize: 5000 });
    expect(rows[3]).toMatchObject({ kind: 'more', parent: ROOT, level: 2, shown: 2, total: 5000 });
  });
});

describe('a search as a list of matches', () => {
  // contoso ── alpha ── alpha1 (disabled) ── deep ── deeper ── deepest, and contoso ── deepsea
  const search: HierarchySearch = {
    query: 'dee',
    total: 4,
    totalCapped: false,
    matches: ['deep', 'deeper', 'deepest', 'deepsea'],
    nodes: [
      node('alpha', null, 2),
      node('alpha1', 'alpha', 1, { disabled: true }),
      node('deep', 'alpha1', 1),
      node('deeper', 'deep', 1),
      node('deepest', 'deeper'),
      node('deepsea', null),
    ],
  };

  it('shows one row per match, by name, each at the top level and without children of its own', () => {
    const view = buildSearchView(registry, search);
    const rows = matchRows(view);
    expect(rows.map((r) => r.key)).toEqual(['deep', 'deeper', 'deepest', 'deepsea']);
    expect(rows.map((r) => [r.level, r.posinset, r.setsize, r.hasChildren])).toEqual([
      [1, 1, 4, false],
      [1, 2, 4, false],
      [1, 3, 4, false],
      [1, 4, 4, false],
    ]);
  });

  it('gives each match its path from the top level down, and marks what is under a disabled registry', () => {
    const view = buildSearchView(registry, search);
    expect(matchPath(view, 'deepest')).toEqual(['alpha', 'alpha1', 'deep', 'deeper']);
    expect(matchPath(view, 'deepsea')).toEqual([]);
    expect(view.index.disabledAncestor.get('deep')).toBe('alpha1');
    expect(view.index.disabledAncestor.get('deepest')).toBe('alpha1');
    expect(view.index.disabledAncestor.has('deepsea')).toBe(false);
  });

  it('shortens a path of more than three to its top, an ellipsis and the two nearest', () => {
    expect(compactPath([])).toEqual([]);
    expect(compactPath(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(compactPath(['a', 'b', 'c', 'd', 'e'])).toEqual(['a', '…', 'd', 'e']);
  });

  it('shows nothing when nothing matches', () => {
    const none = buildSearchView(registry, { query: 'zzz', total: 0, totalCapped: false, matches: [], nodes: [] });
    expect(matchRows(none)).toEqual([]);
  });
});

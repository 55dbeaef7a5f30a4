import { describe, expect, it } from 'vitest';
import type { HierarchyLevel, HierarchyLevelNode, HierarchySearch } from './hierarchy-schemas';
import { ROOT, ancestorKeys, buildLevelIndex, buildSearchView, childCountOf, moreKey, toggleKey, visibleRows } from './tree-model';

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
    const rows = visibleRows(index, new Set([ROOT, 'alpha']), false);
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
    const rows = visibleRows(loaded([ROOT, top]), new Set([ROOT, 'bravo']), false);
    expect(rows.find((r) => r.key === 'bravo')).toMatchObject({ hasChildren: true, expanded: true, loading: true });
    expect(rows).toHaveLength(3);
  });

  it('end a level that has more children than loaded with a row that loads more', () => {
    const wide = level(null, [node('alpha', null), node('bravo', null)], 5000);
    const rows = visibleRows(loaded([ROOT, wide]), new Set([ROOT]), false);
    expect(rows.map((r) => r.key)).toEqual([ROOT, 'alpha', 'bravo', moreKey(ROOT)]);
    expect(rows[1]).toMatchObject({ posinset: 1, setsize: 5000 });
    expect(rows[3]).toMatchObject({ kind: 'more', parent: ROOT, level: 2, shown: 2, total: 5000 });
  });
});

describe('a search as a tree', () => {
  const search: HierarchySearch = {
    query: 'dee',
    total: 1,
    totalCapped: false,
    matches: ['deep'],
    nodes: [node('alpha', null, 2), node('alpha1', 'alpha', 1), node('deep', 'alpha1')],
  };

  it('shows the matches and the path to them, every path open', () => {
    const view = buildSearchView(registry, search);
    expect([...view.matches]).toEqual(['deep']);
    const rows = visibleRows(view.index, new Set(), true);
    expect(rows.map((r) => r.key)).toEqual([ROOT, 'alpha', 'alpha1', 'deep']);
    // only the children shown count: alpha's other child is not part of the answer
    expect(rows[1]).toMatchObject({ hasChildren: true, setsize: 1 });
    // a path the user closes during the search stays closed, without touching the normal state
    const closed = visibleRows(view.index, new Set([toggleKey('alpha', true)]), true);
    expect(closed.map((r) => r.key)).toEqual([ROOT, 'alpha']);
  });

  it('shows nothing when nothing matches', () => {
    const none = buildSearchView(registry, { query: 'zzz', total: 0, totalCapped: false, matches: [], nodes: [] });
    expect(visibleRows(none.index, new Set([ROOT]), true)).toEqual([]);
  });
});

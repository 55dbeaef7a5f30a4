import { describe, expect, it } from 'vitest';
import type { HierarchyTree } from './schemas';
import { ROOT, ancestorKeys, buildHierarchyIndex, searchHierarchy, toggleKey, visibleRows } from './tree-model';

function tree(pairs: [string, string | null][]): HierarchyTree {
  return {
    registry: { name: 'contoso', loginServer: 'contoso.azurecr.io', dataEndpoint: 'contoso.westus2.data.azurecr.io' },
    nodes: pairs.map(([name, parent]) => ({ name, parent, connectionState: 'Online' as const })),
  };
}

// contoso ─┬─ bravo ── bravo1
//          └─ alpha ─┬─ alpha2
//                    └─ alpha1 ── deep
const sample = tree([
  ['bravo', null],
  ['alpha', null],
  ['alpha2', 'alpha'],
  ['alpha1', 'alpha'],
  ['deep', 'alpha1'],
  ['bravo1', 'bravo'],
]);

describe('the hierarchy index', () => {
  it('sorts children by name and walks the tree depth first from the cloud registry', () => {
    const index = buildHierarchyIndex(sample);
    expect(index.children.get(ROOT)).toEqual(['alpha', 'bravo']);
    expect(index.children.get('alpha')).toEqual(['alpha1', 'alpha2']);
    expect(index.preorder).toEqual([ROOT, 'alpha', 'alpha1', 'deep', 'alpha2', 'bravo', 'bravo1']);
    expect(ancestorKeys(index, 'deep')).toEqual(['alpha1', 'alpha', ROOT]);
  });

  it('marks every registry under a disabled one with its nearest disabled ancestor', () => {
    const withDisabled: HierarchyTree = {
      ...sample,
      nodes: sample.nodes.map((n) => (n.name === 'alpha' || n.name === 'alpha1' ? { ...n, disabled: true as const } : n)),
    };
    const index = buildHierarchyIndex(withDisabled);
    expect(Object.fromEntries(index.disabledAncestor)).toEqual({ alpha1: 'alpha', alpha2: 'alpha', deep: 'alpha1' });
    expect(buildHierarchyIndex(sample).disabledAncestor.size).toBe(0);
  });

  it('puts a node whose parent is missing from the snapshot at the top instead of losing it', () => {
    const index = buildHierarchyIndex(tree([['orphan', 'gone']]));
    expect(index.children.get(ROOT)).toEqual(['orphan']);
  });
});

describe('the visible rows', () => {
  const index = buildHierarchyIndex(sample);

  it('show the children of expanded rows only, with their level and position', () => {
    const rows = visibleRows(index, new Set([ROOT, 'alpha']), null);
    expect(rows.map((r) => [r.key, r.level, r.posinset, r.setsize])).toEqual([
      [ROOT, 1, 1, 1],
      ['alpha', 2, 1, 2],
      ['alpha1', 3, 1, 2],
      ['alpha2', 3, 2, 2],
      ['bravo', 2, 2, 2],
    ]);
    expect(rows.find((r) => r.key === 'alpha1')).toMatchObject({ hasChildren: true, expanded: false });
    expect(rows.find((r) => r.key === 'alpha2')).toMatchObject({ hasChildren: false, expanded: false });
  });

  it('during a search show the matches and the path to them, every path open', () => {
    const search = searchHierarchy(index, 'DEE')!;
    expect([...search.matches]).toEqual(['deep']);
    const rows = visibleRows(index, new Set(), search);
    expect(rows.map((r) => r.key)).toEqual([ROOT, 'alpha', 'alpha1', 'deep']);
    // a path the user closes during the search stays closed, without touching the normal state
    const closed = visibleRows(index, new Set([toggleKey('alpha', true)]), search);
    expect(closed.map((r) => r.key)).toEqual([ROOT, 'alpha']);
  });

  it('show nothing when nothing matches, and cap a search that matches too much', () => {
    expect(visibleRows(index, new Set([ROOT]), searchHierarchy(index, 'zzz'))).toEqual([]);
    const capped = searchHierarchy(index, 'a', 2)!;
    expect(capped.total).toBe(5); // alpha, alpha1, alpha2, bravo, bravo1
    expect([...capped.matches]).toEqual(['alpha', 'alpha1']);
  });

  it('filter 1,000 registries eight levels deep in well under 100 ms', () => {
    const pairs: [string, string | null][] = [];
    for (let i = 0; i < 1000; i++) pairs.push([`site${i}`, i < 8 ? (i ? `site${i - 1}` : null) : `site${i % 8}`]);
    const big = buildHierarchyIndex(tree(pairs));
    const started = performance.now();
    const search = searchHierarchy(big, 'site99');
    const rows = visibleRows(big, new Set([ROOT]), search);
    expect(performance.now() - started).toBeLessThan(100);
    const keys = rows.map((r) => r.key);
    expect(keys).toContain('site999');
    // matches (site99, site990…site999) and the chain of eight above them: nothing else
    expect(keys.every((k) => k === ROOT || k.startsWith('site99') || /^site[0-7]$/.test(k))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { ancestorsOf, childrenIndex, descendantsOf, repositoriesOf, syncScopeActions, type HierarchyNode } from './sync-scope';

//          (cloud)
//         /       \
//      factoryA   storeB (ReadOnly)
//       /    \         \
//  lineOne  lineTwo   kioskOne (ReadOnly)
//     |
//  robotArm (ReadOnly)
const nodes: HierarchyNode[] = [
  { id: 'a', name: 'factoryA', parentId: null, mode: 'ReadWrite', repositories: ['factory/base'] },
  { id: 'b', name: 'storeB', parentId: null, mode: 'ReadOnly', repositories: ['store/pos'] },
  { id: 'a1', name: 'lineOne', parentId: 'a', mode: 'ReadWrite', repositories: ['line/plc'] },
  { id: 'a2', name: 'lineTwo', parentId: 'a', mode: 'ReadWrite', repositories: [] },
  { id: 'b1', name: 'kioskOne', parentId: 'b', mode: 'ReadOnly', repositories: ['store/kiosk'] },
  { id: 'a11', name: 'robotArm', parentId: 'a1', mode: 'ReadOnly', repositories: ['robot/firmware', 'factory/base'] },
];
const byId = (id: string) => nodes.find((n) => n.id === id)!;
const names = (ns: HierarchyNode[]) => ns.map((n) => n.name).sort();
const gateway = (name: string) => ['config/read', 'config/write', 'message/read', 'message/write'].map((a) => `gateway/${name}/${a}`);
const readOnly = (repo: string) => [`repositories/${repo}/content/read`, `repositories/${repo}/metadata/read`];
const readWrite = (repo: string) =>
  ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].map((a) => `repositories/${repo}/${a}`);

describe('childrenIndex', () => {
  it('groups registries by parent, the cloud registry being null', () => {
    const index = childrenIndex(nodes);
    expect(names(index.get(null)!)).toEqual(['factoryA', 'storeB']);
    expect(names(index.get('a')!)).toEqual(['lineOne', 'lineTwo']);
    expect(index.get('a2')).toBeUndefined();
  });
});

describe('descendantsOf', () => {
  it('returns every registry below, at any depth', () => {
    expect(names(descendantsOf(nodes, 'a'))).toEqual(['lineOne', 'lineTwo', 'robotArm']);
    expect(names(descendantsOf(nodes, 'a1'))).toEqual(['robotArm']);
    expect(names(descendantsOf(nodes, 'b'))).toEqual(['kioskOne']);
  });

  it('returns nothing for a leaf or an unknown id', () => {
    expect(descendantsOf(nodes, 'a11')).toEqual([]);
    expect(descendantsOf(nodes, 'missing')).toEqual([]);
  });
});

describe('ancestorsOf', () => {
  it('returns the chain of parents, nearest first', () => {
    expect(ancestorsOf(nodes, 'a11').map((n) => n.name)).toEqual(['lineOne', 'factoryA']);
    expect(ancestorsOf(nodes, 'b1').map((n) => n.name)).toEqual(['storeB']);
  });

  it('returns nothing for a child of the cloud registry or an unknown id', () => {
    expect(ancestorsOf(nodes, 'a')).toEqual([]);
    expect(ancestorsOf(nodes, 'missing')).toEqual([]);
  });

  it('stops on a cycle instead of looping forever', () => {
    const cyclic: HierarchyNode[] = [
      { id: 'x', name: 'nodeX', parentId: 'y', mode: 'ReadWrite', repositories: [] },
      { id: 'y', name: 'nodeY', parentId: 'x', mode: 'ReadWrite', repositories: [] },
    ];
    expect(ancestorsOf(cyclic, 'x').map((n) => n.name)).toEqual(['nodeY', 'nodeX']);
  });
});

describe('syncScopeActions', () => {
  it('grants a ReadOnly leaf read actions on its repositories and its own gateway actions', () => {
    const actions = syncScopeActions(byId('b1'), []);
    expect(actions).toEqual([...gateway('kioskone'), ...readOnly('store/kiosk')].sort());
  });

  it('grants a ReadWrite registry read, write and delete on its repositories', () => {
    const actions = syncScopeActions(byId('a1'), []);
    expect(actions).toEqual([...gateway('lineone'), ...readWrite('line/plc')].sort());
    expect(actions).toContain('repositories/line/plc/content/delete');
  });

  it('includes every descendant’s gateway actions and repositories, each with the descendant’s mode', () => {
    const actions = syncScopeActions(byId('a'), descendantsOf(nodes, 'a'));
    const expected = [
      ...gateway('factorya'),
      ...gateway('lineone'),
      ...gateway('linetwo'),
      ...gateway('robotarm'),
      ...readWrite('factory/base'),
      ...readWrite('line/plc'),
      ...readOnly('robot/firmware'),
    ];
    expect(actions).toEqual([...new Set(expected)].sort());
    // robotArm is ReadOnly: its own repository gets no write through the ancestors
    expect(actions).not.toContain('repositories/robot/firmware/content/write');
  });

  it('is sorted and free of duplicates when a descendant repeats a repository', () => {
    const actions = syncScopeActions(byId('a1'), descendantsOf(nodes, 'a1'));
    expect(actions).toEqual([...new Set(actions)].sort());
    expect(actions.filter((a) => a === 'repositories/factory/base/content/read')).toHaveLength(1);
  });

  it('lower-cases registry names in gateway actions', () => {
    expect(syncScopeActions(byId('a'), []).filter((a) => a.startsWith('gateway/'))).toEqual(gateway('factorya'));
  });
});

describe('repositoriesOf', () => {
  it('lists the repositories of a sync scope map, sorted and once each', () => {
    const actions = syncScopeActions(byId('a'), descendantsOf(nodes, 'a'));
    expect(repositoriesOf(actions)).toEqual(['factory/base', 'line/plc', 'robot/firmware']);
  });

  it('ignores gateway actions and actions that do not parse', () => {
    expect(repositoriesOf(['gateway/edge01/config/read', 'garbage', 'repositories/*/content/read'])).toEqual(['*']);
    expect(repositoriesOf([])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { allowedRepositoryActions, compileScopeMap, grantAccess, MAX_SCOPES_PER_REQUEST, parseScopes, ScopeRequestError } from './scopes';

const rw = (repo: string) => ['content/read', 'content/write', 'content/delete', 'metadata/read'].map((a) => `repositories/${repo}/${a}`);

describe('scope requests', () => {
  it('refuses more than 100 scopes in one request, counted across values and space-separated lists', () => {
    const hundred = Array.from({ length: MAX_SCOPES_PER_REQUEST }, (_, i) => `repository:r${i}:pull`);
    expect(parseScopes([hundred.slice(0, 50).join(' '), ...hundred.slice(50)])).toHaveLength(100);
    expect(() => parseScopes([...hundred, 'repository:one-more:pull'])).toThrow(ScopeRequestError);
    expect(() => parseScopes([[...hundred, 'registry:catalog:*'].join(' ')])).toThrow(/at most 100 scopes/);
  });

  it('refuses repository names outside distribution’s grammar, including names over 255 characters', () => {
    const long = `a${'/b'.repeat(7000)}`; // 14,001 characters of valid components
    expect(() => parseScopes([`repository:${long}:pull`])).toThrow(/not a repository name/);
    expect(() => parseScopes([`repository:${'a'.repeat(256)}:pull`])).toThrow(ScopeRequestError);
    expect(() => parseScopes(['repository:Apps/Web:pull'])).toThrow(ScopeRequestError);
    expect(() => parseScopes(['repository:apps//web:pull'])).toThrow(ScopeRequestError);
    expect(parseScopes([`repository:${'a'.repeat(255)}:pull`])).toHaveLength(1);
    // other shapes are still ignored, as distribution does
    expect(parseScopes(['nonsense', 'registry:catalog:*'])).toEqual([{ type: 'registry', name: 'catalog', actions: ['*'] }]);
  });

  it('keeps the parse of a scope asked again, the same as a first parse and unchangeable; a refused one stays refused', () => {
    const first = parseScopes(['repository:apps/web:pull,push,pull registry:catalog:*']);
    const again = parseScopes(['repository:apps/web:pull,push,pull registry:catalog:*']);
    expect(again).toBe(first);
    expect(again).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull', 'push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    expect(Object.isFrozen(again) && Object.isFrozen(again[0]) && Object.isFrozen(again[0].actions)).toBe(true);
    // a long value is parsed each time, not kept
    const long = Array.from({ length: 60 }, (_, i) => `repository:team/r${i}:pull`).join(' ');
    expect(parseScopes([long])).not.toBe(parseScopes([long]));
    for (let i = 0; i < 2; i++) expect(() => parseScopes(['repository:Apps/Web:pull'])).toThrow(ScopeRequestError);
  });
});

describe('compiled scope maps', () => {
  it('compiles a scope map once per action list and reuses the matcher', () => {
    const actions = [...rw('apps/*'), ...rw('tools/build')];
    expect(compileScopeMap(actions)).toBe(compileScopeMap(actions));
    expect(compileScopeMap([...actions])).not.toBe(compileScopeMap(actions));
  });

  it('matches exact names, prefix/* patterns at any depth, and *', () => {
    const actions = [...rw('apps/*'), 'repositories/tools/build/content/read', 'repositories/*/metadata/read'];
    expect([...allowedRepositoryActions(actions, 'apps/web/frontend', false)].sort()).toEqual(['delete', 'pull', 'push']);
    expect([...allowedRepositoryActions(actions, 'apps', false)]).toEqual(['pull']); // only through *
    expect([...allowedRepositoryActions(actions, 'appsx/web', false)]).toEqual(['pull']);
    expect([...allowedRepositoryActions(actions, 'tools/build', false)]).toEqual(['pull']);
    expect([...allowedRepositoryActions(actions, 'apps/web', true)]).toEqual(['pull']);
  });

  it('keeps the grant of a kept request per scope map, ReadOnly and catalog: the same answer as a first grant, and unchangeable', () => {
    const actions = [...rw('apps/*'), 'repositories/tools/build/content/read'];
    const requested = parseScopes(['repository:apps/web:pull,push,delete registry:catalog:* repository:tools/build:push']);
    const fresh = (opts: { readOnly: boolean; catalog: boolean }) =>
      grantAccess(
        requested.map((r) => ({ ...r })),
        actions,
        opts,
      );
    for (const readOnly of [false, true]) {
      for (const catalog of [false, true]) {
        const opts = { readOnly, catalog };
        const first = grantAccess(requested, actions, opts);
        expect(grantAccess(requested, actions, opts)).toBe(first);
        // a request that is not a kept parse is granted afresh, and the same
        expect(fresh(opts)).not.toBe(first);
        expect(first).toEqual(fresh(opts));
        expect(Object.isFrozen(first) && first.every((g) => Object.isFrozen(g) && Object.isFrozen(g.actions))).toBe(true);
      }
    }
    expect(grantAccess(requested, actions, { readOnly: true, catalog: true })).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    expect(grantAccess(requested, actions, { readOnly: false, catalog: false })).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['delete', 'pull', 'push'] },
    ]);
    // another action list (a changed scope map) is granted from its own actions
    expect(grantAccess(requested, ['repositories/apps/web/content/read'], { readOnly: false, catalog: false })).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
  });

  it('grants the same against a 500-permission scope map as a linear scan would', () => {
    const actions = Array.from(
      { length: 500 },
      (_, i) => `repositories/team${i % 100}/repo${i}/${i % 2 ? 'content/read' : 'content/write'}`,
    );
    const requested = parseScopes(Array.from({ length: 100 }, (_, i) => `repository:team${i}/repo${i}:pull,push`));
    const granted = grantAccess(requested, actions, { readOnly: false, catalog: false });
    expect(granted).toEqual(
      Array.from({ length: 100 }, (_, i) => ({ type: 'repository', name: `team${i}/repo${i}`, actions: [i % 2 ? 'pull' : 'push'] })),
    );
  });
});

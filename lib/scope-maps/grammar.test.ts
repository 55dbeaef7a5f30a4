import { describe, expect, it } from 'vitest';
import {
  GATEWAY_ACTIONS,
  MAX_REPOSITORY_PERMISSIONS,
  REPOSITORY_ACTIONS,
  gatewayAction,
  isReadOnlyActionSet,
  isRepositoryPattern,
  normalizeActions,
  parseAction,
  repositoryAction,
  validateActions,
} from './grammar';

describe('parseAction', () => {
  it.each(REPOSITORY_ACTIONS)('parses the repository action %s', (action) => {
    expect(parseAction(`repositories/library/hello-world/${action}`)).toEqual({
      kind: 'repository',
      repository: 'library/hello-world',
      action,
    });
  });

  it.each(GATEWAY_ACTIONS)('parses the gateway action %s', (action) => {
    expect(parseAction(`gateway/edge01/${action}`)).toEqual({ kind: 'gateway', registry: 'edge01', action });
  });

  it('accepts the wildcards * (every repository) and library/* (a namespace)', () => {
    expect(parseAction('repositories/*/content/read')).toEqual({ kind: 'repository', repository: '*', action: 'content/read' });
    expect(parseAction('repositories/library/*/metadata/write')).toEqual({
      kind: 'repository',
      repository: 'library/*',
      action: 'metadata/write',
    });
  });

  it('refuses an unknown repository action, listing the valid ones', () => {
    const parsed = parseAction('repositories/hello-world/content/execute');
    expect(parsed).toEqual({ error: expect.stringContaining('must end with one of content/read, content/write') });
  });

  it('refuses a gateway action that is not one', () => {
    expect(parseAction('gateway/edge01/content/read')).toEqual({ error: expect.stringContaining('config/read, config/write') });
    expect(parseAction('gateway/edge01/config')).toHaveProperty('error');
  });

  it('refuses an action without a known prefix', () => {
    expect(parseAction('registry/hello-world/content/read')).toEqual({
      error: '"registry/hello-world/content/read" is not an action: it must start with "repositories/" or "gateway/".',
    });
    expect(parseAction('content/read')).toHaveProperty('error');
    expect(parseAction('')).toHaveProperty('error');
  });

  it('refuses an uppercase gateway registry name', () => {
    expect(parseAction('gateway/Edge01/config/read')).toEqual({
      error: '"Edge01" in "gateway/Edge01/config/read" must be a connected registry\'s name in lowercase.',
    });
  });

  it('refuses a gateway registry name that is not a registry name', () => {
    expect(parseAction('gateway/edge/config/read')).toHaveProperty('error');
    expect(parseAction('gateway/1edge/config/read')).toHaveProperty('error');
    expect(parseAction('gateway//config/read')).toHaveProperty('error');
  });

  it('refuses an invalid repository name or wildcard', () => {
    expect(parseAction('repositories/Hello/content/read')).toEqual({
      error: '"Hello" in "repositories/Hello/content/read" is not a valid repository name.',
    });
    expect(parseAction('repositories//content/read')).toHaveProperty('error');
    expect(parseAction('repositories/lib*/content/read')).toHaveProperty('error');
    expect(parseAction('repositories/*/x/content/read')).toHaveProperty('error');
  });
});

describe('isRepositoryPattern', () => {
  it('accepts names, * and a trailing /*', () => {
    for (const p of ['*', 'hello', 'library/*', 'a/b/*']) expect(isRepositoryPattern(p), p).toBe(true);
  });

  it('refuses other wildcards', () => {
    for (const p of ['*/x', 'lib*', '/*', '**', 'library/*/*']) expect(isRepositoryPattern(p), p).toBe(false);
  });
});

describe('action builders', () => {
  it('lower-cases the registry name of a gateway action', () => {
    expect(gatewayAction('Edge01', 'config/read')).toBe('gateway/edge01/config/read');
    expect(repositoryAction('library/app', 'content/write')).toBe('repositories/library/app/content/write');
  });

  it('round-trips through parseAction', () => {
    expect(parseAction(gatewayAction('FactoryA', 'message/write'))).toEqual({
      kind: 'gateway',
      registry: 'factorya',
      action: 'message/write',
    });
  });

  it('normalizes to a sorted list without duplicates', () => {
    expect(normalizeActions(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('validateActions', () => {
  const repoActions = (n: number) => Array.from({ length: n }, (_, i) => `repositories/repo${i}/content/read`);

  it('accepts a valid list', () => {
    expect(validateActions(['repositories/*/content/read', 'gateway/edge01/config/read'])).toEqual([]);
  });

  it('returns the message of every bad action', () => {
    const errors = validateActions(['repositories/Bad/content/read', 'gateway/edge01/config/read', 'nope']);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('"Bad"');
    expect(errors[1]).toContain('"nope"');
  });

  it(`allows exactly ${MAX_REPOSITORY_PERMISSIONS} repository permissions`, () => {
    expect(MAX_REPOSITORY_PERMISSIONS).toBe(500);
    expect(validateActions(repoActions(500))).toEqual([]);
  });

  it('refuses more than 500 repository permissions', () => {
    expect(validateActions(repoActions(501))).toEqual(['A scope map can hold at most 500 repository permissions; this one has 501.']);
  });

  it('does not count gateway actions against the limit', () => {
    const gateway = Array.from({ length: 20 }, (_, i) => `gateway/edge${String(i).padStart(2, '0')}/config/read`);
    expect(validateActions([...repoActions(500), ...gateway])).toEqual([]);
  });
});

describe('isReadOnlyActionSet', () => {
  it('is true when every action only reads', () => {
    expect(
      isReadOnlyActionSet([
        'repositories/*/content/read',
        'repositories/library/app/metadata/read',
        'gateway/edge01/config/read',
        'gateway/edge01/message/read',
      ]),
    ).toBe(true);
    expect(isReadOnlyActionSet([])).toBe(true);
  });

  it.each([
    'repositories/app/content/write',
    'repositories/app/content/delete',
    'repositories/app/metadata/write',
    'gateway/edge01/config/write',
    'gateway/edge01/message/write',
  ])('is false when %s is present', (write) => {
    expect(isReadOnlyActionSet(['repositories/app/content/read', write])).toBe(false);
  });

  it('is false when an action does not parse', () => {
    expect(isReadOnlyActionSet(['repositories/app/content/read', 'content/read'])).toBe(false);
  });
});

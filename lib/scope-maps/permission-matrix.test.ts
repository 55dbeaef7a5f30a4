// The permission matrix's model: columns grouped from the action lists (no spans written by
// hand), rows read from action strings, and each edit as a new action list.
import { describe, expect, it } from 'vitest';
import {
  addRepositoryRow,
  columnCount,
  columnGroups,
  grantsByRow,
  inlinePermissions,
  matrixActions,
  removeRow,
  repositoryPermissionCount,
  rowKeys,
  setCell,
  startsGroup,
} from './permission-matrix';

const value = [
  'repositories/apps/web/content/read',
  'repositories/apps/web/metadata/read',
  'repositories/base/content/write',
  'gateway/edge01/config/read',
  'gateway/edge01/message/write',
  'not-an-action',
];

describe('permission matrix model', () => {
  it('groups the columns by their first part, with each group’s span', () => {
    expect(columnGroups(matrixActions('repository'))).toEqual([
      { name: 'content', actions: ['content/read', 'content/write', 'content/delete'] },
      { name: 'metadata', actions: ['metadata/read', 'metadata/write'] },
    ]);
    expect(columnGroups(matrixActions('gateway')).map((g) => [g.name, g.actions.length])).toEqual([
      ['config', 2],
      ['message', 2],
    ]);
    expect(matrixActions('repository').map((_, i, all) => startsGroup(all, i))).toEqual([true, false, false, true, false]);
    // the row header, the 5 actions and the remove button; read-only has no remove button
    expect(columnCount(matrixActions('repository'), false)).toBe(7);
    expect(columnCount(matrixActions('gateway'), true)).toBe(5);
  });

  it('reads the rows of each kind, ignoring the other kind and malformed actions', () => {
    expect(grantsByRow('repository', value)).toEqual(
      new Map([
        ['apps/web', new Set(['content/read', 'metadata/read'])],
        ['base', new Set(['content/write'])],
      ]),
    );
    expect(grantsByRow('gateway', value)).toEqual(new Map([['edge01', new Set(['config/read', 'message/write'])]]));
    expect(repositoryPermissionCount(value)).toBe(3);
  });

  it('keeps pinned rows first and in place, then the others by name', () => {
    expect(rowKeys(['zeta', 'apps/web'], ['base', 'apps/web', 'alpha'])).toEqual(['zeta', 'apps/web', 'alpha', 'base']);
  });

  it('grants and takes away one cell, and removes a whole row of one kind', () => {
    const granted = setCell(value, 'repository', 'base', 'content/delete', true);
    expect(granted).toContain('repositories/base/content/delete');
    expect(setCell(granted, 'repository', 'base', 'content/delete', false)).toEqual(value);
    expect(setCell(value, 'gateway', 'edge01', 'config/read', false)).not.toContain('gateway/edge01/config/read');
    expect(removeRow(value, 'repository', 'apps/web')).toEqual([
      'repositories/base/content/write',
      'gateway/edge01/config/read',
      'gateway/edge01/message/write',
      'not-an-action',
    ]);
    expect(removeRow(value, 'gateway', 'edge01').some((a) => a.startsWith('gateway/'))).toBe(false);
  });

  it('adds a repository row with pull, refuses a name that is not a repository, and leaves an existing row alone', () => {
    const added = addRepositoryRow(value, ' samples/* ');
    expect(added).toEqual({ value: [...value, 'repositories/samples/*/content/read', 'repositories/samples/*/metadata/read'] });
    expect(addRepositoryRow(value, 'Not Valid')).toEqual({ error: expect.stringMatching(/"Not Valid" is not a repository name/) });
    expect(addRepositoryRow(value, 'base')).toEqual({ value });
  });
});

describe('inline permissions', () => {
  it('are the rows of the list, each with its actions in column order', () => {
    expect(inlinePermissions(value)).toEqual({
      repositories: [
        { name: 'apps/web', actions: ['content/read', 'metadata/read'] },
        { name: 'base', actions: ['content/write'] },
      ],
      gateway: [{ registry: 'edge01', actions: ['config/read', 'message/write'] }],
    });
    expect(inlinePermissions([])).toEqual({ repositories: [], gateway: [] });
  });
});

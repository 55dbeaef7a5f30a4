// The model behind the portal's permission matrices: a scope map's action strings read as rows
// (repositories, or connected registries for gateway actions) × columns (the actions, grouped by
// their first part: content/…, metadata/…; config/…, message/…), and the edits the matrix makes,
// each returning the new action list. Pure: no React, no database.
import { GATEWAY_ACTIONS, REPOSITORY_ACTIONS, gatewayAction, isRepositoryPattern, parseAction, repositoryAction } from './grammar';

export type MatrixKind = 'repository' | 'gateway';

/** The columns of a matrix of that kind. */
export const matrixActions = (kind: MatrixKind): readonly string[] => (kind === 'repository' ? REPOSITORY_ACTIONS : GATEWAY_ACTIONS);

export type ColumnGroup = { name: string; actions: string[] };

/** Consecutive actions that share their first part, in order: the header row above the actions. */
export function columnGroups(actions: readonly string[]): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  for (const a of actions) {
    const name = a.split('/')[0];
    const last = groups.at(-1);
    if (last?.name === name) last.actions.push(a);
    else groups.push({ name, actions: [a] });
  }
  return groups;
}

/** Whether column `i` starts a group (a border sets the groups apart). */
export const startsGroup = (actions: readonly string[], i: number) => i === 0 || actions[i - 1].split('/')[0] !== actions[i].split('/')[0];

/** How many cells a row spans: its header, one per action, and the remove button unless read-only. */
export const columnCount = (actions: readonly string[], readOnly: boolean) => actions.length + (readOnly ? 1 : 2);

/** The row an action belongs to and its column, or null for an action of the other kind (or malformed). */
function cellOf(kind: MatrixKind, action: string): { row: string; column: string } | null {
  const p = parseAction(action);
  if ('error' in p || p.kind !== kind) return null;
  return { row: p.kind === 'repository' ? p.repository : p.registry, column: p.action };
}

/** The granted actions of each row of that kind. */
export function grantsByRow(kind: MatrixKind, value: string[]): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  for (const a of value) {
    const cell = cellOf(kind, a);
    if (!cell) continue;
    if (!rows.has(cell.row)) rows.set(cell.row, new Set());
    rows.get(cell.row)!.add(cell.column);
  }
  return rows;
}

/** Rows in order: those pinned first (rows the user added stay where they appeared), then the rest by name. */
export function rowKeys(pinned: string[], present: Iterable<string>): string[] {
  const rows = [...pinned];
  for (const key of [...present].sort()) if (!rows.includes(key)) rows.push(key);
  return rows;
}

/** The action string of a cell. */
export const cellAction = (kind: MatrixKind, row: string, column: string) =>
  kind === 'repository'
    ? repositoryAction(row, column as (typeof REPOSITORY_ACTIONS)[number])
    : gatewayAction(row, column as (typeof GATEWAY_ACTIONS)[number]);

/** The list with one cell granted or taken away. */
export function setCell(value: string[], kind: MatrixKind, row: string, column: string, on: boolean): string[] {
  const action = cellAction(kind, row, column);
  const without = value.filter((a) => a !== action);
  return on ? [...without, action] : without;
}

/** The list without any action of that row. */
export function removeRow(value: string[], kind: MatrixKind, row: string): string[] {
  return value.filter((a) => cellOf(kind, a)?.row !== row);
}

/** New repository rows start with pull. */
export const NEW_REPOSITORY_ACTIONS = ['content/read', 'metadata/read'] as const;

/**
 * Adds a repository row (with pull): the new list, or the message saying why the name is not a
 * repository. A row that exists already leaves the list as it is.
 */
export function addRepositoryRow(value: string[], repository: string): { value: string[] } | { error: string } {
  const repo = repository.trim();
  if (!isRepositoryPattern(repo)) {
    return {
      error: `"${repo}" is not a repository name: use lowercase path parts like library/hello-world, end with /* for a namespace, or * for all.`,
    };
  }
  if (grantsByRow('repository', value).has(repo)) return { value };
  return { value: [...value, ...NEW_REPOSITORY_ACTIONS.map((a) => repositoryAction(repo, a))] };
}

/** Repository permissions granted: a scope map holds at most 500. */
export const repositoryPermissionCount = (value: string[]) =>
  [...grantsByRow('repository', value).values()].reduce((n, s) => n + s.size, 0);

/**
 * The list as inline permissions (`repositories: [{ name, actions }]`, `gateway: [{ registry,
 * actions }]`), the form `POST R/tokens` takes for a token whose scope map it makes itself.
 */
export function inlinePermissions(value: string[]) {
  const rows = (kind: MatrixKind) => [...grantsByRow(kind, value)].filter(([, granted]) => granted.size > 0);
  return {
    repositories: rows('repository').map(([name, granted]) => ({
      name,
      actions: matrixActions('repository').filter((a) => granted.has(a)) as (typeof REPOSITORY_ACTIONS)[number][],
    })),
    gateway: rows('gateway').map(([registry, granted]) => ({
      registry,
      actions: matrixActions('gateway').filter((a) => granted.has(a)) as (typeof GATEWAY_ACTIONS)[number][],
    })),
  };
}

// Docker Registry v2 token scopes and how scope-map actions become registry actions.
//   repository:<name>:<action>[,<action>...]   registry:catalog:*
import { parseAction } from '@/lib/scope-maps/grammar';

export type RegistryAction = 'pull' | 'push' | 'delete' | '*';
export type RequestedScope = { type: string; name: string; actions: string[] };
export type GrantedAccess = { type: string; name: string; actions: string[] };

/** Parses `scope` values; one value may hold several scopes separated by spaces (OAuth form). */
export function parseScopes(values: string[]): RequestedScope[] {
  const out: RequestedScope[] = [];
  for (const value of values) {
    for (const scope of value.split(' ').filter(Boolean)) {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first <= 0 || last === first) continue; // malformed: ignored, as distribution does
      const type = scope.slice(0, first).replace(/\(.*\)$/, ''); // drop a resource class
      const name = scope.slice(first + 1, last);
      const actions = scope.slice(last + 1).split(',').filter(Boolean);
      if (name && actions.length) out.push({ type, name, actions });
    }
  }
  return out;
}

const MAPPING: Record<string, RegistryAction> = {
  'content/read': 'pull',
  'metadata/read': 'pull',
  'content/write': 'push',
  'content/delete': 'delete',
};

function repositoryMatches(pattern: string, repository: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('/*')) return repository.startsWith(pattern.slice(0, -1));
  return pattern === repository;
}

/** What the scope map allows on one repository, as registry actions. */
export function allowedRepositoryActions(scopeMapActions: string[], repository: string, readOnly: boolean): Set<RegistryAction> {
  const allowed = new Set<RegistryAction>();
  for (const a of scopeMapActions) {
    const parsed = parseAction(a);
    if ('error' in parsed || parsed.kind !== 'repository') continue;
    const mapped = MAPPING[parsed.action];
    if (mapped && repositoryMatches(parsed.repository, repository)) allowed.add(mapped);
  }
  if (readOnly) {
    allowed.delete('push');
    allowed.delete('delete');
  }
  return allowed;
}

/** The grant: the intersection of what was asked and what the scope map allows. */
export function grantAccess(
  requested: RequestedScope[],
  scopeMapActions: string[],
  opts: { readOnly: boolean; catalog: boolean },
): GrantedAccess[] {
  const granted: GrantedAccess[] = [];
  for (const scope of requested) {
    if (scope.type === 'registry' && scope.name === 'catalog') {
      if (opts.catalog && scope.actions.includes('*')) granted.push({ type: 'registry', name: 'catalog', actions: ['*'] });
      continue;
    }
    if (scope.type !== 'repository') continue;
    const allowed = allowedRepositoryActions(scopeMapActions, scope.name, opts.readOnly);
    const wanted = scope.actions.includes('*') ? ['pull', 'push', 'delete'] : scope.actions;
    const actions = [...new Set(wanted.filter((a) => allowed.has(a as RegistryAction)))].sort();
    const existing = granted.find((g) => g.type === 'repository' && g.name === scope.name);
    if (existing) existing.actions = [...new Set([...existing.actions, ...actions])].sort();
    else granted.push({ type: 'repository', name: scope.name, actions });
  }
  return granted.filter((g) => g.actions.length > 0);
}

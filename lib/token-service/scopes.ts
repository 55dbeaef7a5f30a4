// Docker Registry v2 token scopes and how scope-map actions become registry actions.
//   repository:<name>:<action>[,<action>...]   registry:catalog:*
// A scope map is compiled once into a matcher (kept as long as its action list is), so that a
// request costs a few map lookups per requested scope, however large the scope map.
import { parseAction } from '@/lib/scope-maps/grammar';
import { isRepositoryName } from '@/lib/registries/rules';

export type RegistryAction = 'pull' | 'push' | 'delete' | '*';
export type RequestedScope = { type: string; name: string; actions: string[] };
export type GrantedAccess = { type: string; name: string; actions: string[] };

/** Distribution's clients ask for a handful of scopes; more than this is refused (400). */
export const MAX_SCOPES_PER_REQUEST = 100;

/** A token request whose scopes are refused as a whole (too many, or a bad repository name). */
export class ScopeRequestError extends Error {}

/**
 * Parses `scope` values; one value may hold several scopes separated by spaces (OAuth form).
 * Scopes of a shape distribution does not know are ignored, as distribution does; a repository
 * name outside distribution's grammar (at most 255 characters) or more than
 * MAX_SCOPES_PER_REQUEST scopes refuse the request.
 */
export function parseScopes(values: string[]): readonly RequestedScope[] {
  // Clients ask for the same scope again and again: the parse of a single short value is kept
  // (a scope is no secret), frozen since every request that asks for it shares it.
  if (values.length !== 1 || values[0].length > MAX_KEPT_SCOPE_LENGTH) return parse(values);
  const hit = parsed.get(values[0]);
  if (hit) return hit;
  const scopes = parse(values);
  for (const scope of scopes) Object.freeze(Object.freeze(scope).actions);
  if (parsed.size >= MAX_KEPT_SCOPES) parsed.clear();
  parsed.set(values[0], Object.freeze(scopes));
  return scopes;
}

const MAX_KEPT_SCOPES = 1000;
const MAX_KEPT_SCOPE_LENGTH = 512;
const parsed = new Map<string, readonly RequestedScope[]>();

function parse(values: string[]): RequestedScope[] {
  const out: RequestedScope[] = [];
  let count = 0;
  for (const value of values) {
    for (const scope of value.split(' ')) {
      if (!scope) continue;
      count += 1;
      if (count > MAX_SCOPES_PER_REQUEST) {
        throw new ScopeRequestError(`A token request may ask for at most ${MAX_SCOPES_PER_REQUEST} scopes.`);
      }
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first <= 0 || last === first) continue; // malformed: ignored, as distribution does
      const type = scope.slice(0, first).replace(/\(.*\)$/, ''); // drop a resource class
      const name = scope.slice(first + 1, last);
      const actions = [
        ...new Set(
          scope
            .slice(last + 1)
            .split(',')
            .filter(Boolean),
        ),
      ];
      if (!name || !actions.length) continue;
      if (type === 'repository' && !isRepositoryName(name)) {
        const shown = name.length > 80 ? `${name.slice(0, 80)}… (${name.length} characters)` : name;
        throw new ScopeRequestError(`"${shown}" is not a repository name (distribution's grammar, at most 255 characters).`);
      }
      out.push({ type, name, actions });
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

/** A scope map's repository actions, indexed: exact names, `prefix/*` patterns, and `*`. */
export type ScopeMapMatcher = {
  exact: Map<string, Set<RegistryAction>>;
  /** keyed on the prefix with its trailing slash: `apps/*` → `apps/` */
  prefixes: Map<string, Set<RegistryAction>>;
  all: Set<RegistryAction>;
};

const compiled = new WeakMap<readonly string[], ScopeMapMatcher>();

function add(index: Map<string, Set<RegistryAction>>, key: string, action: RegistryAction) {
  const set = index.get(key);
  if (set) set.add(action);
  else index.set(key, new Set([action]));
}

/** Compiles a scope map's action list once; the same list (by identity) reuses its matcher. */
export function compileScopeMap(scopeMapActions: readonly string[]): ScopeMapMatcher {
  const hit = compiled.get(scopeMapActions);
  if (hit) return hit;
  const matcher: ScopeMapMatcher = { exact: new Map(), prefixes: new Map(), all: new Set() };
  for (const a of scopeMapActions) {
    const parsed = parseAction(a);
    if ('error' in parsed || parsed.kind !== 'repository') continue;
    const mapped = MAPPING[parsed.action];
    if (!mapped) continue;
    const pattern = parsed.repository;
    if (pattern === '*') matcher.all.add(mapped);
    else if (pattern.endsWith('/*')) add(matcher.prefixes, pattern.slice(0, -1), mapped);
    else add(matcher.exact, pattern, mapped);
  }
  compiled.set(scopeMapActions, matcher);
  return matcher;
}

/** What the scope map allows on one repository, as registry actions. */
export function allowedRepositoryActions(
  scopeMap: readonly string[] | ScopeMapMatcher,
  repository: string,
  readOnly: boolean,
): Set<RegistryAction> {
  const matcher = 'exact' in scopeMap ? scopeMap : compileScopeMap(scopeMap);
  const allowed = new Set<RegistryAction>(matcher.all);
  for (const a of matcher.exact.get(repository) ?? []) allowed.add(a);
  // every proper path prefix of the name: `a/b/c` → `a/`, `a/b/`
  for (let slash = repository.indexOf('/'); slash >= 0; slash = repository.indexOf('/', slash + 1)) {
    for (const a of matcher.prefixes.get(repository.slice(0, slash + 1)) ?? []) allowed.add(a);
  }
  if (readOnly) {
    allowed.delete('push');
    allowed.delete('delete');
  }
  return allowed;
}

// Grants kept per (scope map, kept parse of the request): the common grant — the same client asking
// the same scope again and again — is two lookups. Both keys are held elsewhere (the scope map's
// action list by the token service's memory, the parse by parseScopes) and a kept grant goes with
// them; one per (ReadOnly, catalog) pair. A kept grant is frozen: every request that gets it shares it.
const keptGrants = new WeakMap<ScopeMapMatcher, WeakMap<readonly RequestedScope[], (readonly GrantedAccess[] | undefined)[]>>();

/** The grant: the intersection of what was asked and what the scope map allows. */
export function grantAccess(
  requested: readonly RequestedScope[],
  scopeMapActions: readonly string[],
  opts: { readOnly: boolean; catalog: boolean },
): readonly GrantedAccess[] {
  const matcher = compileScopeMap(scopeMapActions);
  // only a kept parse (frozen, shared by the requests that ask the same) is a key worth keeping
  if (!Object.isFrozen(requested)) return grant(requested, matcher, opts);
  let byRequest = keptGrants.get(matcher);
  if (!byRequest) keptGrants.set(matcher, (byRequest = new WeakMap()));
  let kept = byRequest.get(requested);
  if (!kept) byRequest.set(requested, (kept = []));
  const slot = (opts.readOnly ? 1 : 0) + (opts.catalog ? 2 : 0);
  let granted = kept[slot];
  if (!granted) {
    const made = grant(requested, matcher, opts);
    for (const g of made) Object.freeze(Object.freeze(g).actions);
    kept[slot] = granted = Object.freeze(made);
  }
  return granted;
}

function grant(
  requested: readonly RequestedScope[],
  matcher: ScopeMapMatcher,
  opts: { readOnly: boolean; catalog: boolean },
): GrantedAccess[] {
  const granted = new Map<string, GrantedAccess>();
  const out: GrantedAccess[] = [];
  for (const scope of requested) {
    if (scope.type === 'registry' && scope.name === 'catalog') {
      if (opts.catalog && scope.actions.includes('*') && !granted.has('registry:catalog')) {
        const g = { type: 'registry', name: 'catalog', actions: ['*'] };
        granted.set('registry:catalog', g);
        out.push(g);
      }
      continue;
    }
    if (scope.type !== 'repository') continue;
    const allowed = allowedRepositoryActions(matcher, scope.name, opts.readOnly);
    const wanted = scope.actions.includes('*') ? ['pull', 'push', 'delete'] : scope.actions;
    const actions = wanted.filter((a) => allowed.has(a as RegistryAction));
    const existing = granted.get(`repository:${scope.name}`);
    if (existing) existing.actions = [...new Set([...existing.actions, ...actions])].sort();
    else {
      const g = { type: 'repository', name: scope.name, actions: [...new Set(actions)].sort() };
      granted.set(`repository:${scope.name}`, g);
      out.push(g);
    }
  }
  return out.filter((g) => g.actions.length > 0);
}

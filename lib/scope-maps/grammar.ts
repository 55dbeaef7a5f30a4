// The scope-map action grammar of the domain:
//   repositories/<repo>/<content/read|content/write|content/delete|metadata/read|metadata/write>
//   gateway/<connected-registry-name-lowercase>/<config/read|config/write|message/read|message/write>
// <repo> is an OCI repository name, optionally ending in `/*`, or `*` for every repository.
import { isRepositoryName } from '@/lib/registries/rules';

export const REPOSITORY_ACTIONS = ['content/read', 'content/write', 'content/delete', 'metadata/read', 'metadata/write'] as const;
export const GATEWAY_ACTIONS = ['config/read', 'config/write', 'message/read', 'message/write'] as const;
export type RepositoryAction = (typeof REPOSITORY_ACTIONS)[number];
export type GatewayAction = (typeof GATEWAY_ACTIONS)[number];

export const MAX_REPOSITORY_PERMISSIONS = 500;

export type ParsedAction =
  { kind: 'repository'; repository: string; action: RepositoryAction } | { kind: 'gateway'; registry: string; action: GatewayAction };

export function isRepositoryPattern(repo: string): boolean {
  if (repo === '*') return true;
  return isRepositoryName(repo.endsWith('/*') ? repo.slice(0, -2) : repo);
}

/** Parses one action string, or returns an error message written for the user. */
export function parseAction(value: string): ParsedAction | { error: string } {
  if (value.startsWith('repositories/')) {
    const rest = value.slice('repositories/'.length);
    const action = REPOSITORY_ACTIONS.find((a) => rest.endsWith(`/${a}`));
    if (!action) return { error: `"${value}" must end with one of ${REPOSITORY_ACTIONS.join(', ')}.` };
    const repository = rest.slice(0, -(action.length + 1));
    if (!isRepositoryPattern(repository)) return { error: `"${repository}" in "${value}" is not a valid repository name.` };
    return { kind: 'repository', repository, action };
  }
  if (value.startsWith('gateway/')) {
    const [, registry, ...actionParts] = value.split('/');
    const action = actionParts.join('/') as GatewayAction;
    if (!GATEWAY_ACTIONS.includes(action)) return { error: `"${value}" must end with one of ${GATEWAY_ACTIONS.join(', ')}.` };
    if (!/^[a-z][a-z0-9]{4,49}$/.test(registry ?? '')) {
      return { error: `"${registry}" in "${value}" must be a connected registry's name in lowercase.` };
    }
    return { kind: 'gateway', registry, action };
  }
  return { error: `"${value}" is not an action: it must start with "repositories/" or "gateway/".` };
}

export function repositoryAction(repository: string, action: RepositoryAction): string {
  return `repositories/${repository}/${action}`;
}

export function gatewayAction(registryName: string, action: GatewayAction): string {
  return `gateway/${registryName.toLowerCase()}/${action}`;
}

/** Validates a whole action list; returns the messages of every bad action. */
export function validateActions(actions: string[]): string[] {
  const errors: string[] = [];
  let repositoryPermissions = 0;
  for (const a of actions) {
    const parsed = parseAction(a);
    if ('error' in parsed) errors.push(parsed.error);
    else if (parsed.kind === 'repository') repositoryPermissions += 1;
  }
  if (repositoryPermissions > MAX_REPOSITORY_PERMISSIONS) {
    errors.push(
      `A scope map can hold at most ${MAX_REPOSITORY_PERMISSIONS} repository permissions; this one has ${repositoryPermissions}.`,
    );
  }
  return errors;
}

const READ_ACTIONS = new Set<string>(['content/read', 'metadata/read', 'config/read', 'message/read']);

/** True when every action only reads: what a ReadOnly registry's client tokens may hold. */
export function isReadOnlyActionSet(actions: string[]): boolean {
  return actions.every((a) => {
    const parsed = parseAction(a);
    return !('error' in parsed) && READ_ACTIONS.has(parsed.action);
  });
}

/** Sorted and without duplicates, so that stored action lists compare equal. */
export function normalizeActions(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}

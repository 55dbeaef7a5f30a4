// What the browser reads from /api/v1 about registries (with the session cookie), and the
// react-query keys for it. Mutations invalidate exactly the keys below that they change.
import type { ConnectedRegistryDto } from './schemas';
import type { HierarchyLevel, HierarchySearch } from './hierarchy-schemas';
import type { LoginServerUsage } from './schemas';
import type { SyncTokenCandidate } from './sync-token-eligibility';
import type { Page } from '@/lib/api/pagination';
import type { TokenDto } from '@/lib/tokens/schemas';

export const registryKeys = {
  all: ['registries'] as const,
  registry: (registry: string) => ['registries', registry.toLowerCase()] as const,
  hierarchy: (registry: string) => ['registries', registry.toLowerCase(), 'hierarchy'] as const,
  /** the first `limit` children of `parent` ('' for the top level) */
  hierarchyLevel: (registry: string, parent: string, limit: number) =>
    ['registries', registry.toLowerCase(), 'hierarchy', 'level', parent.toLowerCase(), limit] as const,
  hierarchySearch: (registry: string, q: string) => ['registries', registry.toLowerCase(), 'hierarchy', 'search', q] as const,
  connected: (registry: string, name: string) => ['registries', registry.toLowerCase(), 'connected', name.toLowerCase()] as const,
  clientTokenSearch: (registry: string, q: string) => ['registries', registry.toLowerCase(), 'tokens', 'client', q] as const,
  syncTokenCandidates: (registry: string, q: string) => ['registries', registry.toLowerCase(), 'tokens', 'sync-candidates', q] as const,
  loginServer: (loginServer: string) => ['login-servers', loginServer.toLowerCase()] as const,
};

/** Reads JSON from the API; a refusal becomes an Error carrying the API's message. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

const base = (registry: string) => `/api/v1/registries/${encodeURIComponent(registry)}`;

/** One level of the tree: the first `limit` children of `parent` ('' for the top level). */
export const fetchHierarchyLevel = (registry: string, parent: string, limit: number, signal?: AbortSignal) =>
  getJson<HierarchyLevel>(
    `${base(registry)}/hierarchy/children?${new URLSearchParams({ limit: String(limit), ...(parent ? { parent } : {}) })}`,
    signal,
  );

export const fetchHierarchySearch = (registry: string, q: string, signal?: AbortSignal) =>
  getJson<HierarchySearch>(`${base(registry)}/hierarchy/search?${new URLSearchParams({ q })}`, signal);

export const fetchConnectedRegistry = (registry: string, name: string, signal?: AbortSignal) =>
  getJson<ConnectedRegistryDto>(`${base(registry)}/connected-registries/${encodeURIComponent(name)}`, signal);

export const searchClientTokens = (registry: string, q: string, signal?: AbortSignal) =>
  getJson<Page<TokenDto>>(`${base(registry)}/tokens?${new URLSearchParams({ kind: 'client', limit: '20', ...(q ? { q } : {}) })}`, signal);

export const fetchSyncTokenCandidates = (registry: string, q: string, signal?: AbortSignal) =>
  getJson<{ items: SyncTokenCandidate[] }>(
    `${base(registry)}/sync-token-candidates?${new URLSearchParams({ limit: '20', ...(q ? { q } : {}) })}`,
    signal,
  );

export const fetchLoginServerUsage = (loginServer: string, signal?: AbortSignal) =>
  getJson<LoginServerUsage>(`/api/v1/login-servers/${encodeURIComponent(loginServer)}`, signal);

/** Where a connected registry's pages live. */
export function connectedRegistryHref(registry: string, name: string): string {
  return `/connected-registries/${encodeURIComponent(name)}?registry=${encodeURIComponent(registry)}`;
}

export function newConnectedRegistryHref(registry: string, parent?: string | null): string {
  const params = new URLSearchParams({ registry, ...(parent ? { parent } : {}) });
  return `/connected-registries/new?${params}`;
}

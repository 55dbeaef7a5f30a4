// Where the portal's token, scope-map and registry pages live. Every page of a cloud
// registry's tokens and scope maps carries it as `?registry=`.

function withRegistry(path: string, registry: string, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams({ registry });
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  return `${path}?${search}`;
}

export const tokensHref = (registry: string, params?: Record<string, string | undefined>) => withRegistry('/tokens', registry, params);
export const newTokenHref = (registry: string) => withRegistry('/tokens/new', registry);
export const tokenHref = (registry: string, name: string) => withRegistry(`/tokens/${encodeURIComponent(name)}`, registry);
export const scopeMapsHref = (registry: string) => withRegistry('/scope-maps', registry);
export const newScopeMapHref = (registry: string) => withRegistry('/scope-maps/new', registry);
export const scopeMapHref = (registry: string, name: string) => withRegistry(`/scope-maps/${encodeURIComponent(name)}`, registry);
export const connectedRegistryHref = (registry: string, name: string) =>
  withRegistry(`/connected-registries/${encodeURIComponent(name)}`, registry);

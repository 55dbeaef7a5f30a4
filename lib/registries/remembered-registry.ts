// The cloud registry an admin last looked at, remembered in a cookie, so that a page opened
// without `?registry=` (a sidebar link, a bookmark of the plain page) shows it again. The URL
// always wins over the cookie, and a remembered name that no longer exists is ignored. Pure:
// - the proxy remembers the `?registry=` of a page loaded as a document (a typed or shared
//   address), before any script runs;
// - the cloud-registry picker remembers the registry its page shows, and a chosen one at once
//   (components/registries/use-shown-registry.ts);
// - the pages read it.
// Nothing else remembers: a link's prefetch asks for a page that is not shown, and the proxy
// cannot tell it from a client-side navigation (Next.js strips its router headers before the
// proxy runs; both are fetches), so a server that remembered every `?registry=` it served would
// remember the stale links a page prefetches after a switch. The cookie names a registry, no
// secret, so the picker's script may write it.

export const REMEMBERED_REGISTRY_COOKIE = 'canopy-cloud-registry';

/**
 * The cookie the proxy set until Canopy 1 Dec 2026: httpOnly, so a script cannot overwrite it; the
 * proxy removes it where a browser still sends it (nothing reads it).
 */
export const LEGACY_REMEMBERED_REGISTRY_COOKIE = 'canopy-registry';

const ONE_YEAR_S = 365 * 24 * 3600;

/** A value that could be a cloud registry's name (the pages check that it is one). */
const POSSIBLE_NAME = /^[A-Za-z][A-Za-z0-9]{0,49}$/;

/** The name a page loaded with `?registry=` names, worth remembering; null when absent or impossible. */
export function registryToRemember(searchParams: URLSearchParams): string | null {
  const values = searchParams.getAll('registry');
  if (values.length !== 1) return null;
  return POSSIBLE_NAME.test(values[0]) ? values[0] : null;
}

/** The cookie that remembers a registry, as the proxy sets it: the whole portal, SameSite=Lax, a year, Secure over https. */
export function rememberedRegistryCookie(name: string, secure: boolean) {
  return {
    name: REMEMBERED_REGISTRY_COOKIE,
    value: name,
    path: '/',
    maxAge: ONE_YEAR_S,
    sameSite: 'lax' as const,
    httpOnly: false,
    secure,
  };
}

/** The same cookie as a `document.cookie` assignment, for the picker; null for a name no registry can have (nothing is written). */
export function rememberedRegistryCookieString(name: string, secure: boolean): string | null {
  if (!POSSIBLE_NAME.test(name)) return null;
  const c = rememberedRegistryCookie(name, secure);
  return `${c.name}=${c.value}; Path=${c.path}; Max-Age=${c.maxAge}; SameSite=Lax${c.secure ? '; Secure' : ''}`;
}

/** The cloud registry a page without `?registry=` shows: the remembered one while it exists, else the first. */
export function rememberedOrFirst<T extends { name: string }>(options: T[], remembered: string | undefined): T | null {
  if (remembered) {
    const lower = remembered.toLowerCase();
    const found = options.find((o) => o.name.toLowerCase() === lower);
    if (found) return found;
  }
  return options[0] ?? null;
}

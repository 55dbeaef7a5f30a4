// The cloud registry an admin last looked at, remembered in a cookie, so that a page opened
// without `?registry=` (a sidebar link, a bookmark of the plain page) shows it again. The URL
// always wins over the cookie, and a remembered name that no longer exists is ignored. Pure:
// the proxy sets the cookie, the pages read it.

export const REMEMBERED_REGISTRY_COOKIE = 'canopy-registry';

const ONE_YEAR_S = 365 * 24 * 3600;

/** A value that could be a cloud registry's name (the pages check that it is one). */
const POSSIBLE_NAME = /^[A-Za-z][A-Za-z0-9]{0,49}$/;

/** The name a portal page's `?registry=` gives, worth remembering; null when absent or impossible. */
export function registryToRemember(searchParams: URLSearchParams): string | null {
  const values = searchParams.getAll('registry');
  if (values.length !== 1) return null;
  return POSSIBLE_NAME.test(values[0]) ? values[0] : null;
}

/** The cookie that remembers it: for the portal's own pages only (httpOnly, SameSite=Lax), a year. */
export function rememberedRegistryCookie(name: string, secure: boolean) {
  return { name: REMEMBERED_REGISTRY_COOKIE, value: name, path: '/', maxAge: ONE_YEAR_S, sameSite: 'lax' as const, httpOnly: true, secure };
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

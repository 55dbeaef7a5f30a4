// The portal's colour theme: the system's setting (prefers-color-scheme), or light or dark as the
// admin chose. The choice is kept in a cookie, not in localStorage, so that the server renders
// the page in it: the first paint has the right theme without a script (none is allowed inline
// under the Content-Security-Policy without its nonce), and "system" needs no script at all, as
// CSS follows the setting (app/globals.css, the `dark` variant).
import { z } from 'zod';

export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

export const THEME_COOKIE = 'canopy-theme';

/** The theme a cookie's value names; anything else (no cookie, a stale or forged value) is "system". */
export const parseTheme = (value: string | undefined): Theme => z.enum(themes).catch('system').parse(value);

/** The cookie that remembers a choice: a year, the whole site, sent on navigations. */
export const themeCookie = (theme: Theme) => `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;

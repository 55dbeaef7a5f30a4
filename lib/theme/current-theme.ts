import 'server-only';
import { cookies } from 'next/headers';
import { parseTheme, THEME_COOKIE, type Theme } from './theme';

/** The theme the request's cookie chose ("system" when none): the page is rendered in it. */
export async function currentTheme(): Promise<Theme> {
  return parseTheme((await cookies()).get(THEME_COOKIE)?.value);
}

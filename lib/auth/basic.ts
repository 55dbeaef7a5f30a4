import { isAcceptableText } from '@/lib/text';

/** HTTP Basic credentials from an Authorization header (its value, or the request's headers), or null. */
export function basicCredentials(source: Headers | string | null | undefined): { username: string; password: string } | null {
  const header = (source instanceof Headers ? source.get('authorization') : source) ?? '';
  if (!/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // credentials no account can have (NUL bytes, control characters, over-long) are no credentials
  if (!isAcceptableText(username, 256) || !isAcceptableText(password, 1024)) return null;
  return { username, password };
}

/** HTTP Basic credentials from an Authorization header (its value, or the request's headers), or null. */
export function basicCredentials(source: Headers | string | null | undefined): { username: string; password: string } | null {
  const header = (source instanceof Headers ? source.get('authorization') : source) ?? '';
  if (!/^basic /i.test(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// The client's address. Canopy's own server (scripts/start.ts) puts the socket's address in
// `x-canopy-client-address`, overwriting whatever a client sent. Behind a reverse proxy set
// CANOPY_TRUST_PROXY=true to take the first `X-Forwarded-For` entry instead. (The token endpoint,
// which that server answers itself, reads the socket's address directly.)
type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// read once: a read of process.env is a call into the runtime, and this runs on every token request
let trustProxy: boolean | undefined;
export const trustsProxy = () => (trustProxy ??= process.env.CANOPY_TRUST_PROXY === 'true');

/** The first `X-Forwarded-For` entry when CANOPY_TRUST_PROXY=true (and the header is there), else undefined. */
export function forwardedAddress(headers: HeaderSource, trust = trustsProxy()): string | undefined {
  return (trust && header(headers, 'x-forwarded-for')?.split(',')[0]?.trim()) || undefined;
}

export function clientAddress(headers: HeaderSource): string {
  return forwardedAddress(headers) ?? header(headers, 'x-canopy-client-address') ?? 'unknown';
}

// The client's address. Canopy's own server (scripts/start.ts) puts the socket's address in
// `x-canopy-client-address`, overwriting whatever a client sent. Behind a reverse proxy set
// CANOPY_TRUST_PROXY=true to take the first `X-Forwarded-For` entry instead.
type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// read once: a read of process.env is a call into the runtime, and this runs on every token request
let trustProxy: boolean | undefined;

export function clientAddress(headers: HeaderSource): string {
  if ((trustProxy ??= process.env.CANOPY_TRUST_PROXY === 'true')) {
    const forwarded = header(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return header(headers, 'x-canopy-client-address') ?? 'unknown';
}

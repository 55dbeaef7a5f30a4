// Canopy's configuration from the environment (every variable is documented in the README).
export function port(env = process.env): number {
  return Number(env.PORT ?? 3000);
}

export function publicUrl(env = process.env): string {
  return (env.CANOPY_PUBLIC_URL ?? `http://localhost:${port(env)}`).replace(/\/+$/, '');
}

export function dataDir(env = process.env): string {
  return env.CANOPY_DATA_DIR ?? '.canopy';
}

/** The `iss` of the token service's JWTs; registries are configured with the same value. */
export function tokenIssuer(env = process.env): string {
  return env.CANOPY_TOKEN_ISSUER ?? publicUrl(env);
}

/** Where registries send clients for tokens (the `realm`). */
export function tokenRealm(env = process.env): string {
  return `${publicUrl(env)}/oauth2/token`;
}

/**
 * The Strict-Transport-Security header of every response when Canopy is reached over https
 * (a year, subdomains included), or undefined over http: a browser that once reached the portal
 * over https never falls back to plain http, where a session cookie or a password could be read.
 */
export function strictTransportSecurity(env = process.env): string | undefined {
  return publicUrl(env).toLowerCase().startsWith('https://') ? 'max-age=31536000; includeSubDomains' : undefined;
}

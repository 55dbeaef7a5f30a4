// The edge's own token endpoint, at <login server>/oauth2/token: the same protocol as Canopy's
// (GET with HTTP Basic, POST password and refresh_token grants, offline_token), answered
// offline from the configuration. It accepts the client tokens the registry accepts and the
// sync tokens of its direct children (they sync through this edge), grants the intersection of
// what was asked and what the token allows here (never push or delete on a ReadOnly registry,
// nothing on a disabled one), and signs with the edge's own key.
import { importPKCS8, importX509, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { pemToDerBase64, type KeyMaterial } from '@/lib/token-service/key-material';
import {
  errorResponse,
  grantResponse,
  readGet,
  readPost,
  type TokenHttpRequest,
  type TokenHttpResponse,
} from '@/lib/token-service/protocol';
import { grantAccess, parseScopes, ScopeRequestError, type RequestedScope } from '@/lib/token-service/scopes';
import { verifyTokenPassword } from '@/lib/tokens/passwords';
import type { EdgeConfig } from './config';

export const ACCESS_TOKEN_TTL_SECONDS = 300;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 86400;
/** Failures per (token, address) and per address in five minutes; a correct password always passes. */
export const EDGE_FAILURE_LIMITS = { perTokenAndAddress: 10, perAddress: 30, windowMs: 5 * 60_000 };

export const edgeIssuer = (registryName: string) => `canopy-edge/${registryName}`;

type Password = EdgeConfig['clientTokens'][number]['passwords'][number];
type Accepted = { name: string; status: string; actions: string[]; passwords: Password[]; kind: 'client' | 'child-sync' };

class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 503,
    message: string,
    readonly countsAsFailure = status === 401,
  ) {
    super(message);
  }
}

/** Failure counts kept in memory, per key, in a sliding window. */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly windowMs = EDGE_FAILURE_LIMITS.windowMs) {}

  /** Records a failure for each key; answers the seconds to wait when one is over its limit, else 0. */
  record(keys: { key: string; max: number }[], now = Date.now()): number {
    let wait = 0;
    for (const { key, max } of keys) {
      const recent = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
      recent.push(now);
      this.failures.set(key, recent);
      if (recent.length > max) wait = Math.max(wait, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    if (this.failures.size > 100_000) this.failures.clear();
    return wait;
  }
}

export type TokenServiceState = {
  config: EdgeConfig | null;
  /** why every client is refused (the registry is disabled in Canopy), or null */
  refusal: string | null;
};

export class EdgeTokenService {
  private key: CryptoKey | undefined;
  private verifyKey: CryptoKey | undefined;
  readonly limiter = new FailureLimiter();
  /** told of every refused request (never the password): the edge logs one line for each */
  onRefusal: (status: number, username: string | null, address: string, message: string) => void = () => {};

  constructor(
    private readonly material: KeyMaterial,
    private readonly state: () => TokenServiceState,
  ) {}

  private async keys() {
    this.key ??= (await importPKCS8(this.material.privatePem, 'ES256')) as CryptoKey;
    this.verifyKey ??= (await importX509(this.material.certificate, 'ES256')) as CryptoKey;
    return { sign: this.key, verify: this.verifyKey };
  }

  /** Token names are case-insensitive in Canopy (one token per name, in any case): so are they here. */
  private accepted(config: EdgeConfig, name: string): Accepted[] {
    const key = name.toLowerCase();
    const named = (t: { name: string }) => t.name.toLowerCase() === key;
    return [
      ...config.clientTokens.filter(named).map((t) => ({ ...t, kind: 'client' as const })),
      ...config.childSyncTokens.filter(named).map((t) => ({ ...t, kind: 'child-sync' as const })),
    ];
  }

  private check(config: EdgeConfig, name: string, match: (p: Password) => boolean, now: number) {
    for (const token of this.accepted(config, name)) {
      const slot = token.passwords.find(match);
      if (!slot) continue;
      if (slot.expiry && Date.parse(slot.expiry) <= now) throw new Refusal(401, `The password of ${name} has expired.`);
      if (token.status !== 'enabled') throw new Refusal(401, `Token ${name} is disabled.`);
      return { token, slot };
    }
    throw new Refusal(401, 'The token name or password is wrong.');
  }

  private async refreshCredential(refreshToken: string, service: string, issuer: string) {
    try {
      const { payload } = await jwtVerify(refreshToken, (await this.keys()).verify, { issuer, audience: service, algorithms: ['ES256'] });
      if (payload.use !== 'refresh' || typeof payload.sub !== 'string') throw new Error('not a refresh token');
      return { username: payload.sub, slot: String(payload.slot), creationTime: String(payload.sct) };
    } catch {
      throw new Refusal(401, 'The refresh token is not valid (expired, or its password was regenerated).');
    }
  }

  async issue(req: TokenHttpRequest): Promise<TokenHttpResponse> {
    if (req.method !== 'GET' && req.method !== 'POST') return errorResponse(405, 'Use GET or POST.', { Allow: 'GET, POST' });
    const parsed = req.method === 'GET' ? readGet(req) : await readPost(req);
    if ('status' in parsed) return parsed;
    const now = Date.now();
    const { config, refusal } = this.state();
    let username = parsed.username;
    try {
      if (!config) throw new Refusal(503, 'The edge has no configuration yet: it has not reached Canopy since it was deployed.', false);
      if (!parsed.service) throw new Refusal(400, 'The service parameter is required.');
      if (parsed.service.toLowerCase() !== config.loginServer.toLowerCase()) {
        throw new Refusal(400, `Unknown service "${parsed.service}": this registry's login server is ${config.loginServer}.`);
      }
      let scopes: RequestedScope[];
      try {
        scopes = parseScopes(parsed.scopes);
      } catch (error) {
        if (error instanceof ScopeRequestError) throw new Refusal(400, error.message);
        throw error;
      }
      const issuer = edgeIssuer(config.name);
      let match: (p: Password) => boolean;
      if (parsed.grantType === 'refresh_token') {
        if (!parsed.refreshToken) throw new Refusal(400, 'refresh_token is required.');
        const refreshed = await this.refreshCredential(parsed.refreshToken, parsed.service, issuer);
        username = refreshed.username;
        match = (p) => p.name === refreshed.slot && String(Date.parse(p.creationTime)) === refreshed.creationTime;
      } else {
        if (!username || !parsed.password) throw new Refusal(401, 'Send the token name and password (HTTP Basic).', false);
        const password = parsed.password;
        match = (p) => verifyTokenPassword(p.verifier, password);
      }
      const { token, slot } = this.check(config, username!, match, now);
      // the registry itself is disabled: nobody gets in, whatever their password
      if (refusal) throw new Refusal(401, refusal, false);
      const access = grantAccess(scopes, token.actions, { readOnly: config.mode === 'ReadOnly', catalog: false });
      const { sign } = await this.keys();
      const iat = Math.floor(now / 1000);
      const jwt = await new SignJWT({ access })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: this.material.kid, x5c: [pemToDerBase64(this.material.certificate)] })
        .setIssuer(issuer)
        .setSubject(token.name)
        .setAudience(parsed.service)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
        .setJti(randomUUID())
        .sign(sign);
      let refreshToken: string | undefined;
      if (parsed.grantType === 'refresh_token') refreshToken = parsed.refreshToken!;
      else if (parsed.offline) {
        let exp = iat + REFRESH_TOKEN_TTL_SECONDS;
        if (slot.expiry) exp = Math.min(exp, Math.floor(Date.parse(slot.expiry) / 1000));
        refreshToken = await new SignJWT({ use: 'refresh', slot: slot.name, sct: Date.parse(slot.creationTime) })
          .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: this.material.kid })
          .setIssuer(issuer)
          .setSubject(token.name)
          .setAudience(parsed.service)
          .setIssuedAt(iat)
          .setExpirationTime(exp)
          .setJti(randomUUID())
          .sign(sign);
      }
      return grantResponse(jwt, iat, ACCESS_TOKEN_TTL_SECONDS, refreshToken);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.onRefusal(error.status, username, req.clientAddress, error.message);
      if (error.countsAsFailure) {
        const keys = [{ key: `address:${req.clientAddress}`, max: EDGE_FAILURE_LIMITS.perAddress }];
        if (username)
          keys.push({ key: `token:${username.toLowerCase()}|${req.clientAddress}`, max: EDGE_FAILURE_LIMITS.perTokenAndAddress });
        const wait = this.limiter.record(keys, now);
        if (wait > 0)
          return errorResponse(429, `Too many failed authentications; try again in ${wait} seconds.`, { 'Retry-After': String(wait) });
      }
      return errorResponse(error.status, error.message);
    }
  }
}

// The edge's own token endpoint, at <login server>/oauth2/token: the same protocol as Canopy's
// (GET with HTTP Basic, POST password and refresh_token grants, offline_token), answered
// offline from the configuration. It accepts the client tokens the registry accepts and the
// sync tokens of its direct children (they sync through this edge), grants the intersection of
// what was asked and what the token allows here (never push or delete on a ReadOnly registry,
// nothing on a disabled one), and signs with the edge's own key.
// The hot path signs with node:crypto, the header encoded once (lib/token-service/jwt.ts, as
// Canopy's own endpoint does), the signature made in libuv's thread pool (crypto.sign with a
// callback): the main thread reads and answers requests while the pool signs, which on two cores
// shared with other work measured faster than signing on the main thread (and than jose's
// WebCrypto path, which also signs in the pool but costs several promises per token). Refresh
// tokens are still verified with jose.
import { importX509, jwtVerify } from 'jose';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { checkReadVerifier, readSaltedVerifier, type ReadVerifier } from '@/lib/auth/secrets';
import { encodeJwtHeader } from '@/lib/token-service/jwt';
import { pemToDerBase64, type KeyMaterial } from '@/lib/token-service/key-material';
import {
  errorResponse,
  grantResponse,
  readGet,
  readPost,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRequest,
} from '@/lib/token-service/protocol';
import { grantAccess, parseScopes, ScopeRequestError, type RequestedScope } from '@/lib/token-service/scopes';
import type { EdgeConfig } from './config';

export const ACCESS_TOKEN_TTL_SECONDS = 300;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 86400;
/** Failures per (token, address) and per address in five minutes; a correct password always passes. */
export const EDGE_FAILURE_LIMITS = { perTokenAndAddress: 10, perAddress: 30, windowMs: 5 * 60_000 };

export const edgeIssuer = (registryName: string) => `canopy-edge/${registryName}`;

/** A compact ES256 JWS, `<header>.<claims>.<signature>` (r‖s, RFC 7518 §3.4), signed in the thread pool. */
function signInPool(key: KeyObject, encodedHeader: string, claims: Record<string, unknown>): Promise<string> {
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return new Promise((resolve, reject) =>
    sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, (error, signature) =>
      error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
    ),
  );
}

/** A password of the configuration, its verifier read once with the index below (not per grant). */
type Password = EdgeConfig['clientTokens'][number]['passwords'][number] & { read: ReadVerifier | null };
type Accepted = { name: string; status: string; actions: string[]; passwords: Password[]; kind: 'client' | 'child-sync' };

/**
 * A refusal the client is told about. Only a wrong credential (a guess) counts against the failure
 * limits, and says so; no other refusal does (a right password refused — disabled, expired — is
 * its owner asking, and clients behind one address must not be refused 429 because of it).
 */
class Refusal extends Error {
  readonly countsAsFailure: boolean;
  constructor(
    readonly status: 400 | 401 | 503,
    message: string,
    options: { countsAsFailure?: true } = {},
  ) {
    super(message);
    this.countsAsFailure = options.countsAsFailure ?? false;
  }
}

/**
 * Failure counts kept in memory, per key, in a sliding window. A key keeps only its last `max + 1`
 * failure times (a ring): whether it is over its limit, and until when, follows from those alone,
 * so a flood of failures costs the same small work per failure and bounded memory per key.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, { times: number[]; next: number }>();
  constructor(private readonly windowMs = EDGE_FAILURE_LIMITS.windowMs) {}

  /** Records a failure for each key; answers the seconds to wait when one is over its limit, else 0. */
  record(keys: { key: string; max: number }[], now = Date.now()): number {
    let wait = 0;
    for (const { key, max } of keys) {
      let ring = this.failures.get(key);
      if (!ring) this.failures.set(key, (ring = { times: [], next: 0 }));
      if (ring.times.length <= max) ring.times.push(now);
      else {
        ring.times[ring.next] = now;
        ring.next = (ring.next + 1) % ring.times.length;
      }
      // the oldest kept failure is the (max + 1)-th most recent: over the limit while it is in the window
      if (ring.times.length <= max) continue;
      const oldest = ring.times[ring.next];
      if (oldest > now - this.windowMs) wait = Math.max(wait, Math.ceil((oldest + this.windowMs - now) / 1000));
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

/** A configuration's accepted tokens by lower-cased name, built once per configuration object. */
const acceptedByName = new WeakMap<EdgeConfig, Map<string, Accepted[]>>();

function acceptedTokens(config: EdgeConfig): Map<string, Accepted[]> {
  let index = acceptedByName.get(config);
  if (index) return index;
  index = new Map();
  const add = (t: EdgeConfig['clientTokens'][number], kind: Accepted['kind']) => {
    const key = t.name.toLowerCase();
    const passwords = t.passwords.map((p) => ({ ...p, read: readSaltedVerifier(p.verifier) }));
    const accepted: Accepted = { name: t.name, status: t.status, actions: t.actions, passwords, kind };
    const list = index!.get(key);
    if (list) list.push(accepted);
    else index!.set(key, [accepted]);
  };
  for (const t of config.clientTokens) add(t, 'client');
  for (const t of config.childSyncTokens) add(t, 'child-sync');
  acceptedByName.set(config, index);
  return index;
}

export class EdgeTokenService {
  private readonly key: KeyObject;
  private readonly accessHeader: string;
  private readonly refreshHeader: string;
  private verifyKey: CryptoKey | undefined;
  readonly limiter = new FailureLimiter();
  /** told of every refused request (never the password): the edge logs one line for each */
  onRefusal: (status: number, username: string | null, address: string, message: string) => void = () => {};

  constructor(
    private readonly material: KeyMaterial,
    private readonly state: () => TokenServiceState,
  ) {
    this.key = createPrivateKey(material.privatePem);
    this.accessHeader = encodeJwtHeader({ alg: 'ES256', typ: 'JWT', kid: material.kid, x5c: [pemToDerBase64(material.certificate)] });
    this.refreshHeader = encodeJwtHeader({ alg: 'ES256', typ: 'JWT', kid: material.kid });
  }

  /** Token names are case-insensitive in Canopy (one token per name, in any case): so are they here. */
  private check(config: EdgeConfig, name: string, match: (p: Password) => boolean, now: number) {
    for (const token of acceptedTokens(config).get(name.toLowerCase()) ?? []) {
      const slot = token.passwords.find(match);
      if (!slot) continue;
      // the password was right: its owner asks, not a guesser — not counted (see Refusal)
      if (slot.expiry && Date.parse(slot.expiry) <= now) throw new Refusal(401, `The password of ${name} has expired.`);
      if (token.status !== 'enabled') throw new Refusal(401, `Token ${name} is disabled.`);
      return { token, slot };
    }
    throw new Refusal(401, 'The token name or password is wrong.', { countsAsFailure: true });
  }

  private async refreshCredential(refreshToken: string, service: string, issuer: string) {
    try {
      this.verifyKey ??= (await importX509(this.material.certificate, 'ES256')) as CryptoKey;
      const { payload } = await jwtVerify(refreshToken, this.verifyKey, { issuer, audience: service, algorithms: ['ES256'] });
      if (payload.use !== 'refresh' || typeof payload.sub !== 'string') throw new Error('not a refresh token');
      return { username: payload.sub, slot: String(payload.slot), creationTime: String(payload.sct) };
    } catch {
      throw new Refusal(401, 'The refresh token is not valid (expired, or its password was regenerated).', { countsAsFailure: true });
    }
  }

  issue(req: TokenHttpRequest): TokenHttpResponse | Promise<TokenHttpResponse> {
    if (req.method === 'GET') return this.answer(req, readGet(req));
    if (req.method !== 'POST') return errorResponse(405, 'Use GET or POST.', { Allow: 'GET, POST' });
    return readPost(req).then(async (parsed) => {
      if ('status' in parsed) return parsed;
      if (parsed.grantType !== 'refresh_token') return this.answer(req, parsed);
      // the refresh token is checked first (asynchronously), then the request is answered as any other
      const config = this.state().config;
      let refreshed: Awaited<ReturnType<EdgeTokenService['refreshCredential']>> | Refusal;
      if (!config || !parsed.service || !parsed.refreshToken) refreshed = new Refusal(400, 'refresh_token is required.');
      else {
        try {
          refreshed = await this.refreshCredential(parsed.refreshToken, parsed.service, edgeIssuer(config.name));
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          refreshed = error;
        }
      }
      return this.answer(req, parsed, refreshed);
    });
  }

  private answer(
    req: TokenHttpRequest,
    parsed: TokenRequest,
    refreshed?: { username: string; slot: string; creationTime: string } | Refusal,
  ): TokenHttpResponse | Promise<TokenHttpResponse> {
    const now = Date.now();
    const { config, refusal } = this.state();
    let username = parsed.username;
    try {
      if (!config) throw new Refusal(503, 'The edge has no configuration yet: it has not reached Canopy since it was deployed.');
      if (!parsed.service) throw new Refusal(400, 'The service parameter is required.');
      if (parsed.service.toLowerCase() !== config.loginServer.toLowerCase()) {
        throw new Refusal(400, `Unknown service "${parsed.service}": this registry's login server is ${config.loginServer}.`);
      }
      let scopes: readonly RequestedScope[];
      try {
        scopes = parseScopes(parsed.scopes);
      } catch (error) {
        if (error instanceof ScopeRequestError) throw new Refusal(400, error.message);
        throw error;
      }
      const issuer = edgeIssuer(config.name);
      let match: (p: Password) => boolean;
      if (parsed.grantType === 'refresh_token') {
        if (!parsed.refreshToken || !refreshed) throw new Refusal(400, 'refresh_token is required.');
        if (refreshed instanceof Refusal) throw refreshed;
        username = refreshed.username;
        match = (p) => p.name === refreshed.slot && String(Date.parse(p.creationTime)) === refreshed.creationTime;
      } else {
        if (!username || !parsed.password) throw new Refusal(401, 'Send the token name and password (HTTP Basic).');
        const password = parsed.password;
        match = (p) => checkReadVerifier(p.read, password);
      }
      const { token, slot } = this.check(config, username!, match, now);
      // the registry itself is disabled: nobody gets in, whatever their password
      if (refusal) throw new Refusal(401, refusal);
      const access = grantAccess(scopes, token.actions, { readOnly: config.mode === 'ReadOnly', catalog: false });
      const iat = Math.floor(now / 1000);
      // the claims in the order jose's SignJWT wrote them, so the JWT is the same
      const jwt = signInPool(this.key, this.accessHeader, {
        access,
        iss: issuer,
        sub: token.name,
        aud: parsed.service,
        iat,
        nbf: iat,
        exp: iat + ACCESS_TOKEN_TTL_SECONDS,
        jti: randomUUID(),
      });
      let refreshToken: string | Promise<string> | undefined;
      if (parsed.grantType === 'refresh_token') refreshToken = parsed.refreshToken!;
      else if (parsed.offline) {
        let exp = iat + REFRESH_TOKEN_TTL_SECONDS;
        if (slot.expiry) exp = Math.min(exp, Math.floor(Date.parse(slot.expiry) / 1000));
        refreshToken = signInPool(this.key, this.refreshHeader, {
          use: 'refresh',
          slot: slot.name,
          sct: Date.parse(slot.creationTime),
          iss: issuer,
          sub: token.name,
          aud: parsed.service,
          iat,
          exp,
          jti: randomUUID(),
        });
      }
      return Promise.all([jwt, refreshToken]).then(([token, refresh]) => grantResponse(token, iat, ACCESS_TOKEN_TTL_SECONDS, refresh));
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

// The Docker Registry v2 token endpoint (distribution's docs/spec/auth/token.md and oauth.md):
//   GET  /oauth2/token?service=…&scope=…[&scope=…][&offline_token=true]   HTTP Basic credentials
//   POST /oauth2/token  grant_type=password|refresh_token, service, client_id, scope, access_type=offline
// The grant is the intersection of what was asked and what the token's scope map allows there.
import { randomUUID } from 'node:crypto';
import { clientAddress } from '@/lib/auth/client-address';
import { tokenIssuer } from '@/lib/config';
import { isDatabaseUnreachable, RETRY_AFTER_SECONDS } from '@/lib/db/outage';
import { isAcceptableText, textProblem } from '@/lib/text';
import { addressLimitKey, credentialLimits, recordFailures, type Limit } from '@/lib/rate-limit';
import { noteUnexpectedError, unexpectedErrorWait } from '@/lib/rate-limit/unexpected-errors';
import { authenticate, noteUsed, resolveService, TokenAuthError, type Principal, type ServiceTarget } from './authenticate';
import { signEs256JwtJson } from './jwt';
import { ACCESS_TOKEN_TTL_SECONDS, activeSigningKey, type ActiveSigningKey } from './keys';
import {
  BodyTooLargeError,
  errorResponse,
  grantResponse,
  MAX_TOKEN_BODY_BYTES,
  readGet,
  readPost,
  type TokenHttpRequest,
  type TokenHttpResponse,
  type TokenRequest,
} from './protocol';
import { refreshCredential, signRefreshToken } from './refresh-token';
import { grantAccess, parseScopes, ScopeRequestError, type GrantedAccess, type RequestedScope } from './scopes';

export { BodyTooLargeError, MAX_TOKEN_BODY_BYTES, type TokenHttpRequest, type TokenHttpResponse };

/**
 * Failed authentications are counted per (token name, address) and per address. Passwords are
 * 256-bit random: the limits shed the cost and noise of guessing, they do not protect the
 * passwords, so they never lock a token out for its real clients elsewhere. Failures over a
 * limit are answered 429; a correct password is served unless its own address is over its limit.
 */
export const TOKEN_FAILURE_LIMITS = {
  perCredentialAddress: { max: 10, windowSeconds: 5 * 60 },
  perAddress: { max: 30, windowSeconds: 5 * 60 },
};

/** Synchronous while the signing key is in memory (it is, but for a minute's reload): no promise on the hot path. */
function signAccessToken(
  principal: Principal,
  service: string,
  access: readonly GrantedAccess[],
  now: number,
): { token: string; iat: number } | Promise<{ token: string; iat: number }> {
  const maybeKey = activeSigningKey(now);
  if (maybeKey instanceof Promise) return maybeKey.then((key) => signAccessTokenWith(key, principal, service, access, now));
  return signAccessTokenWith(maybeKey, principal, service, access, now);
}

// The issuer, read from the environment with the signing keys (at most a minute old, like them)
// rather than once per grant: each read of process.env is a call into the C++ runtime.
const issuers = new WeakMap<ActiveSigningKey, string>();
function issuerFor(key: ActiveSigningKey): string {
  let issuer = issuers.get(key);
  if (issuer === undefined) issuers.set(key, (issuer = tokenIssuer()));
  return issuer;
}

// A kept grant's JSON (scopes.ts keeps the common grant, frozen), written once.
const accessJson = new WeakMap<readonly GrantedAccess[], string>();
function accessText(access: readonly GrantedAccess[]): string {
  let text = accessJson.get(access);
  if (text === undefined) {
    text = JSON.stringify(access);
    if (Object.isFrozen(access)) accessJson.set(access, text);
  }
  return text;
}

function signAccessTokenWith(key: ActiveSigningKey, principal: Principal, service: string, access: readonly GrantedAccess[], now: number) {
  const iat = Math.floor(now / 1000);
  // the claims' JSON, written as JSON.stringify would write { access, iss, sub, aud, iat, nbf, exp, jti }
  // (in that order), the grant's part made once per kept grant
  const claims =
    `{"access":${accessText(access)},"iss":${JSON.stringify(issuerFor(key))},"sub":${JSON.stringify(principal.tokenName)},` +
    `"aud":${JSON.stringify(service)},"iat":${iat},"nbf":${iat},"exp":${iat + ACCESS_TOKEN_TTL_SECONDS},"jti":"${randomUUID()}"}`;
  return { token: signEs256JwtJson(key.keyObject, key.accessTokenHeader, claims), iat };
}

// Addresses over their failure limit, remembered in memory so that a refused client costs no
// database work; the counts themselves live in PostgreSQL (shared by instances). Only an
// address is refused up front: a (token, address) over its limit still gets a correct password
// served, its failures are answered 429.
const blockedAddresses = new Map<string, number>();
let nextSweep = 0;
function addressBlockedFor(key: string, now: number): number {
  if (now >= nextSweep) {
    nextSweep = now + 60_000;
    for (const [k, until] of blockedAddresses) if (until <= now) blockedAddresses.delete(k);
  }
  const until = blockedAddresses.get(key) ?? 0;
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

function tooMany(wait: number): TokenHttpResponse {
  return errorResponse(429, `Too many failed authentications; try again in ${wait} seconds.`, { 'Retry-After': String(wait) });
}

/** Reads a fetch Request's body, refusing (BodyTooLargeError) past MAX_TOKEN_BODY_BYTES without reading on. */
async function readCappedBody(req: Request): Promise<string> {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_TOKEN_BODY_BYTES) throw new BodyTooLargeError();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_TOKEN_BODY_BYTES) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The fetch-style adapter: for the Next.js route (`next dev`) and for tests. */
export async function handleTokenRequest(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const result = await issueToken({
    method: req.method,
    url: url.pathname + url.search,
    header: (name) => req.headers.get(name),
    body: () => readCappedBody(req),
    clientAddress: clientAddress(req.headers),
  });
  return new Response(result.body, { status: result.status, headers: result.headers });
}

type Maybe<T> = T | Promise<T>;

/**
 * `fn` applied to the value at once when it is there, after it settles when it is a promise: the
 * common grant (service, token and signing key all held in memory) is answered without creating
 * a single promise — each one costs, more so under Next.js's async context tracking.
 */
function then<T, U>(value: Maybe<T>, fn: (value: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** `run`, with `onError` for what it throws at once or rejects with later. */
function guard<T>(run: () => Maybe<T>, onError: (error: unknown) => Maybe<T>): Maybe<T> {
  try {
    const value = run();
    return value instanceof Promise ? value.catch(onError) : value;
  } catch (error) {
    return onError(error);
  }
}

export function issueToken(req: TokenHttpRequest): Maybe<TokenHttpResponse> {
  if (req.method !== 'GET' && req.method !== 'POST') return errorResponse(405, 'Use GET or POST.', { Allow: 'GET, POST' });
  // an address whose requests keep ending in unexpected errors is refused up front for a while
  // the clock read once per request (Next.js wraps Date.now)
  const now = Date.now();
  const faults = unexpectedErrorWait(req.clientAddress, now);
  if (faults > 0) return tooMany(faults);
  return guard(
    () =>
      req.method === 'GET'
        ? answerTokenRequest(req, readGet(req), now)
        : readPost(req).then((parsed) => answerTokenRequest(req, parsed, Date.now())),
    (error) => {
      // reading or parsing the request failed: nobody was authenticated yet
      const id = randomUUID();
      noteUnexpectedError(req.clientAddress, `[token ${id}] unexpected error`, error);
      return errorResponse(500, `Something went wrong on our side (request ${id}).`);
    },
  );
}

function answerTokenRequest(req: TokenHttpRequest, parsed: TokenRequest | TokenHttpResponse, now: number): Maybe<TokenHttpResponse> {
  if ('status' in parsed) return parsed;
  if (!parsed.service) return errorResponse(400, 'The service parameter is required.');
  const service = parsed.service;
  const serviceProblem = textProblem(service, 512);
  if (serviceProblem) return errorResponse(400, `The service ${serviceProblem}`);
  // a name or password no token can have (NUL bytes, control characters, over-long): the protocol's 401
  if (
    (parsed.username !== null && !isAcceptableText(parsed.username, 256)) ||
    (parsed.password !== null && !isAcceptableText(parsed.password, 1024))
  ) {
    return errorResponse(401, 'The token name or password is wrong.');
  }
  let scopes: readonly RequestedScope[];
  try {
    scopes = parseScopes(parsed.scopes);
  } catch (error) {
    if (error instanceof ScopeRequestError) return errorResponse(400, error.message);
    throw error;
  }
  const address = req.clientAddress;

  let username = parsed.username;
  // the failure limits are counted against (token, address) once the credential has been read,
  // against the address alone before: their keys are made only when a failure is counted
  let credentialRead = false;
  const addressKey = addressLimitKey('token', address);
  // no address blocked (the common case): no lookup
  const addressWait = blockedAddresses.size ? addressBlockedFor(addressKey, now) : 0;
  if (addressWait > 0) return tooMany(addressWait);
  let signedIn = false;

  const grant = () =>
    then(resolveService(service, now), (targets) => {
      if (!targets.length)
        throw new TokenAuthError(400, `Unknown service "${service}": no registry has that login server or service name.`);
      if (targets.length > 1) {
        // a login server that connected registries share names none of them: grant nothing
        const names = targets.map((t) => t.serviceName).sort();
        const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
        throw new TokenAuthError(
          400,
          `The service "${service}" is the login server of several registries (${shown}): configure the registry with its service name, <cloud registry>/<connected registry>.`,
          { code: 'ambiguous_service' },
        );
      }
      let credential: Maybe<Parameters<typeof authenticate>[2]>;
      if (parsed.grantType === 'refresh_token') {
        if (!parsed.refreshToken) throw new TokenAuthError(400, 'refresh_token is required.');
        credential = refreshCredential(parsed.refreshToken, service).then((refreshed) => {
          username = refreshed.username;
          return refreshed.credential;
        });
      } else {
        if (!username || !parsed.password) throw new TokenAuthError(401, 'Send the token name and password (HTTP Basic).');
        credential = { password: parsed.password };
      }
      return then(credential, (credential) => {
        credentialRead = true;
        return then(authenticate(targets, username!, credential, now), ({ principal, target }) => {
          signedIn = true;
          const access = grantAccess(scopes, principal.scopeMapActions, {
            readOnly: target.kind === 'connected' && target.readOnly,
            catalog: principal.scopeMapName === '_repositories_admin',
          });
          return then(signAccessToken(principal, service, access, now), ({ token, iat }) => {
            noteUsed(principal, now);
            const refreshToken =
              parsed.grantType === 'refresh_token'
                ? parsed.refreshToken!
                : parsed.offline
                  ? signRefreshToken(principal, service, now)
                  : undefined;
            return then(refreshToken, (refresh) => grantResponse(token, iat, ACCESS_TOKEN_TTL_SECONDS, refresh, true));
          });
        });
      });
    });

  return guard(grant, async (error) => {
    if (!(error instanceof TokenAuthError) && isDatabaseUnreachable(error)) {
      return errorResponse(503, `The token service cannot reach its database right now; try again in ${RETRY_AFTER_SECONDS} seconds.`, {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      });
    }
    if (!(error instanceof TokenAuthError)) {
      const id = randomUUID();
      if (signedIn) console.error(`[token ${id}] unexpected error`, error);
      else noteUnexpectedError(address, `[token ${id}] unexpected error`, error);
      return errorResponse(500, `Something went wrong on our side (request ${id}).`);
    }
    if (error.countsAsFailure) {
      const limits: Limit[] = credentialLimits('token', credentialRead ? username : null, address, TOKEN_FAILURE_LIMITS);
      const counts = await recordFailures(limits);
      const overAddress = counts.find((c) => c.limit.key === addressKey && c.retryAfter > 0);
      if (overAddress) blockedAddresses.set(addressKey, now + overAddress.retryAfter * 1000);
      const wait = Math.max(0, ...counts.map((c) => c.retryAfter));
      if (wait > 0) return tooMany(wait);
    }
    return errorResponse(error.status, error.message, {}, error.code);
  });
}

export type { ServiceTarget };

// One webhook HTTP call. The host is resolved and every address checked (rules.addressProblem)
// at each delivery, and the connection goes to the checked address: no second lookup that an
// attacker's DNS could answer differently. Redirects are not followed; 10 s at most.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DELIVERY_TIMEOUT_MS, RESPONSE_LOG_BYTES, addressProblem, allowPrivateTargets, urlProblem } from './rules';

export class UnsafeTargetError extends Error {}

/** The URL's host, without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Resolves the URL's host and checks every address; returns the one to connect to. */
export async function resolveSafeTarget(
  rawUrl: string,
  allowPrivate = allowPrivateTargets(),
): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  const problem = urlProblem(rawUrl);
  if (problem) throw new UnsafeTargetError(problem);
  const url = new URL(rawUrl);
  const host = hostOf(url);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new UnsafeTargetError(`${host} does not resolve to an address.`);
    }
  }
  if (!addresses.length) throw new UnsafeTargetError(`${host} does not resolve to an address.`);
  for (const a of addresses) {
    const refused = addressProblem(a.address, allowPrivate);
    if (refused) throw new UnsafeTargetError(host === a.address ? refused : `${host} resolves to ${refused}`);
  }
  return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

export type CallResult = { statusCode: number | null; durationMs: number; response: string | null; error: string | null };

/** POSTs `body` to the checked address of `rawUrl`; never throws. */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<CallResult> {
  const started = Date.now();
  const done = (r: Omit<CallResult, 'durationMs'>): CallResult => ({ ...r, durationMs: Date.now() - started });
  let target: Awaited<ReturnType<typeof resolveSafeTarget>>;
  try {
    target = await resolveSafeTarget(rawUrl);
  } catch (error) {
    return done({
      statusCode: null,
      response: null,
      error: error instanceof UnsafeTargetError ? error.message : 'The address could not be checked.',
    });
  }
  // every lookup the socket makes answers the checked address
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<CallResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<CallResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const req = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Canopy-Webhooks/1' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const end = () => {
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_LOG_BYTES).toString('utf8');
          finish({ statusCode: res.statusCode ?? null, response: text || null, error: null });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_LOG_BYTES) end();
        });
        res.on('end', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, response: null, error: `No response within ${Math.round(timeoutMs / 1000)} s.` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish({ statusCode: null, response: null, error: error.message.slice(0, 300) }));
    req.end(body);
  });
}

// Real processes for Canopy Edge's tests: Canopy's token service and gateway served by the app's
// own route handlers on loopback, and edges run as child processes (from the sources with tsx,
// or the built file) in their own process groups, stopped by the test by group id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import { POST as postStatus } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/status/route';
import { POST as postSyncRun } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/sync-runs/route';
import { GET as getWhoami } from '@/app/gateway/v1/whoami/route';
import { handleTokenRequest } from '@/lib/token-service/endpoint';
import { serveHandler } from './registry-interop';

const GATEWAY = /^\/gateway\/v1\/registries\/([^/]+)\/connected-registries\/([^/]+)\/(config|status|sync-runs)$/;

export type StatusPost = { registry: string; body: Record<string, unknown>; status: number };

/** Canopy's /oauth2/token and /gateway, from its own route handlers; status posts are recorded. */
export async function serveCanopy(port?: number, statusPosts: StatusPost[] = []) {
  const served = await serveHandler(
    async (req) => {
      const url = new URL(req.url);
      if (url.pathname === '/oauth2/token') return handleTokenRequest(req);
      if (url.pathname === '/gateway/v1/whoami') return getWhoami(req, { params: Promise.resolve({}) });
      const m = GATEWAY.exec(url.pathname);
      if (m) {
        const params = Promise.resolve({ registry: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) });
        if (m[3] === 'config' && req.method === 'GET') return getConfig(req, { params });
        if (m[3] === 'sync-runs' && req.method === 'POST') return postSyncRun(req, { params });
        if (m[3] === 'status' && req.method === 'POST') {
          const body = (await req
            .clone()
            .json()
            .catch(() => ({}))) as Record<string, unknown>;
          const res = await postStatus(req, { params });
          statusPosts.push({ registry: m[2], body, status: res.status });
          return res;
        }
      }
      return new Response('{"error":{"code":"not_found"}}', { status: 404 });
    },
    { port },
  );
  return { ...served, statusPosts };
}

export { connectionStringFile, startEdge, type RunningEdge } from './edge-process';

export async function until<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
}

/** A token from an edge's (or Canopy's) token endpoint, or the status it refused with. */
export async function requestToken(
  base: string,
  service: string,
  creds: string,
  scopes: string[],
): Promise<{ status: number; access?: { name: string; actions: string[] }[] }> {
  const query = new URLSearchParams({ service });
  for (const s of scopes) query.append('scope', s);
  const res = await fetch(`${base}/oauth2/token?${query}`, {
    headers: { authorization: `Basic ${Buffer.from(creds).toString('base64')}` },
  });
  if (res.status !== 200) return { status: res.status };
  const { token } = (await res.json()) as { token: string };
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { access: { name: string; actions: string[] }[] };
  return { status: 200, access: payload.access };
}

/**
 * For putting content into an edge's registry directly (sync comes in a later issue): a JWT the
 * registry trusts, signed with the edge's own key from its data dir, and the registry's address.
 */
export async function directRegistryAccess(dataDir: string, repository: string) {
  const yaml = readFileSync(join(dataDir, 'registry', 'config.yml'), 'utf8');
  const field = (name: string) => JSON.parse(new RegExp(`${name}: (".*")`).exec(yaml)![1]) as string;
  const material = JSON.parse(readFileSync(join(dataDir, 'signing-key.json'), 'utf8')) as {
    privatePem: string;
    certificate: string;
    kid: string;
  };
  const x5c = material.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const token = await new SignJWT({ access: [{ type: 'repository', name: repository, actions: ['pull', 'push'] }] })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: material.kid, x5c: [x5c] })
    .setIssuer(field('issuer'))
    .setAudience(field('service'))
    .setSubject('test')
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime('5m')
    .sign(await importPKCS8(material.privatePem, 'ES256'));
  return { address: field('addr'), token };
}

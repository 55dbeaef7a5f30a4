// The configuration long poll served by Canopy's own server, ahead of Next.js (as `npm start`
// routes it, scripts/start.ts): the same answers as the Next.js route — a configuration with its
// ETag, a 304 at the end of a wait, a woken poll's new configuration, a JSON 401 — and only for
// a GET of a configuration path, however it is spelled.
import { createServer, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { freePort } from '@/lib/free-port';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { createCanopyServer } from '@/lib/server/lifecycle';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture, syncPasswordFixture } from '@/test/fixtures';
import { basicAuth, callGateway } from '@/test/routes';
import { getConfig } from './config-route';
import { configRequestParams, serveConfigRequest } from './node-handler';
import { configPolls } from './service/fetch-config';

setupTestDatabase();
let actor: Actor;
let password = '';
let port = 0;
let stop: () => Promise<unknown> = async () => {};
let nextServed = 0;

beforeAll(async () => {
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'northwind');
  await createConnectedRegistryFixture(actor, 'northwind', { name: 'depot01', mode: 'ReadOnly', repositories: ['apps/web'] });
  password = await syncPasswordFixture(actor, 'northwind', 'depot01');
  port = await freePort();
  // as scripts/start.ts dispatches: the configuration here, everything else to Next.js (a stand-in)
  const canopy = createCanopyServer((req, res) => {
    req.headers['x-canopy-client-address'] = req.socket.remoteAddress ?? 'unknown';
    const params = configRequestParams(req.method, req.url);
    if (params) return void serveConfigRequest(req, res, params);
    nextServed += 1;
    res.writeHead(404).end();
  }, createServer);
  await new Promise<void>((r) => canopy.server.listen(port, '127.0.0.1', r));
  stop = () => canopy.drain(1000);
});
afterAll(() => stop());

function get(path: string, headers: Record<string, string>, signal?: AbortSignal) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
const edgeHeaders = (etag?: string, pw = password) => ({
  authorization: basicAuth('depot01-sync-token', pw),
  'x-connected-registry-instance': 'box-1',
  ...(etag ? { 'if-none-match': etag } : {}),
});
const path = '/gateway/v1/registries/northwind/connected-registries/depot01/config';

describe('the configuration served ahead of Next.js', () => {
  it('answers the configuration, a 304 after a wait, a woken poll, and a wrong password as the route does', async () => {
    const first = await get(path, edgeHeaders());
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(first.body).name).toBe('depot01');
    const etag = String(first.headers.etag);
    // the very document and ETag the Next.js route answers
    const route = await callGateway(getConfig, {
      registry: 'northwind',
      name: 'depot01',
      endpoint: 'config',
      user: 'depot01-sync-token',
      password,
      instance: 'box-1',
    });
    expect(route.headers.get('etag')).toBe(etag);
    expect(route.headers.get('content-type')).toBe(first.headers['content-type']);
    expect(await route.text()).toBe(first.body);

    const waited = await get(`${path}?wait=1`, edgeHeaders(etag));
    expect(waited.status).toBe(304);
    expect(waited.headers.etag).toBe(etag);

    const held = configPolls.held();
    const poll = get(`${path}?wait=30`, edgeHeaders(etag));
    while (configPolls.held() <= held) await new Promise((r) => setTimeout(r, 20));
    await updateConnectedRegistry(actor, 'northwind', 'depot01', { logLevel: 'Debug' });
    const woken = await poll;
    expect(woken.status).toBe(200);
    expect(JSON.parse(woken.body).logLevel).toBe('Debug');
    expect(woken.headers.etag).not.toBe(etag);

    const wrong = await get(path, edgeHeaders(undefined, 'not-the-password'));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.code).toBe('unauthorized');
    const badWait = await get(`${path}?wait=nope`, edgeHeaders(etag));
    expect(badWait.status).toBe(400);
    expect(nextServed).toBe(0);
  });

  it('lets a held poll go when its client goes away', async () => {
    const etag = String((await get(path, edgeHeaders())).headers.etag);
    const held = configPolls.held();
    const client = new AbortController();
    const poll = get(`${path}?wait=30`, edgeHeaders(etag), client.signal).catch((e: Error) => e);
    await expect.poll(() => configPolls.held(), { timeout: 20_000 }).toBe(held + 1);
    client.abort();
    expect(await poll).toBeInstanceOf(Error);
    await expect.poll(() => configPolls.held(), { timeout: 10_000 }).toBe(held);
  });

  it('takes a GET of a configuration path alone, as Next.js would route it', () => {
    expect(configRequestParams('GET', path)).toEqual({ registry: 'northwind', name: 'depot01' });
    expect(configRequestParams('GET', `${path}?wait=60`)).toEqual({ registry: 'northwind', name: 'depot01' });
    expect(configRequestParams('GET', '/gateway/v1/registries/north%77ind/connected-registries/depot01/./config')).toEqual({
      registry: 'northwind',
      name: 'depot01',
    });
    expect(configRequestParams('POST', path)).toBeNull();
    expect(configRequestParams('HEAD', path)).toBeNull();
    expect(configRequestParams('GET', '/gateway/v1/registries/northwind/connected-registries/depot01/status')).toBeNull();
    expect(configRequestParams('GET', '/gateway/v1/registries/northwind/connected-registries/depot01/config/more')).toBeNull();
    // Next.js redirects a trailing slash: left to it
    expect(configRequestParams('GET', `${path}/`)).toBeNull();
    expect(configRequestParams('GET', '/gateway/v1/registries/%E0%A4%A/connected-registries/depot01/config')).toBeNull();
    expect(configRequestParams('GET', '/api/v1/registries')).toBeNull();
  });
});

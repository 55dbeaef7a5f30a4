// The relay's queue of children's status reports survives a restart of the parent edge, holds no
// password, and sends each report only with the credentials that sent it.
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { generateTokenPassword } from '@/lib/tokens/passwords';
import type { EdgeConfig } from './config';
import { DataDir } from './data-dir';
import { Logger } from './log';
import { Relay } from './relay';
import { Upstream } from './upstream';

const config = {
  registry: 'contoso',
  loginServer: 'factory01.local:5000',
  descendants: ['line01'],
  childSyncTokens: [],
} as unknown as EdgeConfig;
const statusPath = '/gateway/v1/registries/contoso/connected-registries/line01/status';
const configPath = '/gateway/v1/registries/contoso/connected-registries/line01/config';
const basic = (password: string) => `Basic ${Buffer.from(`line01-sync-token:${password}`).toString('base64')}`;

type Received = { path: string; authorization?: string; body: string };
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
});

function listen(port: number, handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** Canopy's gateway, as far as the relay sees it: records what arrives. */
async function gateway(port: number, received: Received[]) {
  return listen(port, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url!, authorization: req.headers.authorization, body });
      if (req.url!.startsWith(configPath)) {
        res.writeHead(200, { etag: '"1"', 'content-type': 'application/json' });
        return res.end('{}');
      }
      res.writeHead(204);
      res.end();
    });
  });
}

/** A parent edge's listener that only relays. */
async function parentEdge(dataDir: DataDir, upstreamPort: number) {
  const relay = new Relay(new Upstream(`http://127.0.0.1:${upstreamPort}`, null), dataDir, new Logger('text', () => {}), () => config);
  const server = await listen(0, (req, res) => void relay.handle(req, res));
  return { relay, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const send = (base: string, path: string, authorization: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { authorization, 'x-connected-registry-instance': 'box-1', 'content-type': 'application/json' },
  });

describe('the relay’s queued status reports', () => {
  it('survive a restart of the parent edge, hold no password, and go up with the credentials that sent them', async () => {
    const dataDir = new DataDir(mkdtempSync(join(tmpdir(), 'relay-queue-')));
    dataDir.prepare();
    const upstreamPort = await freePort(); // nothing listens yet: Canopy is unreachable
    const first = await parentEdge(dataDir, upstreamPort);
    const queued = await send(first.base, statusPath, basic('the-child-password'), {
      method: 'POST',
      body: JSON.stringify({ connectionState: 'Online', version: 'canopy-edge/1' }),
    });
    expect(queued.status).toBe(202);
    const file = readFileSync(dataDir.path('relay-queue.json'), 'utf8');
    expect(JSON.parse(file)).toHaveLength(1);
    expect(file).not.toContain('the-child-password');
    expect(file).not.toContain(Buffer.from('line01-sync-token:the-child-password').toString('base64'));

    // the parent restarts (a new relay on the same data dir) and Canopy is back
    const received: Received[] = [];
    await gateway(upstreamPort, received);
    const second = await parentEdge(dataDir, upstreamPort);
    expect(second.relay.queuedReports).toBe(1);
    await second.relay.flush(); // the upstream answers, but nobody has presented the child's credentials yet
    expect(received).toHaveLength(0);

    // the child's next poll carries its credentials: the queued report goes up with them, with the time it was observed
    expect((await send(second.base, configPath, basic('the-child-password'))).status).toBe(200);
    await expect.poll(() => received.filter((r) => r.path === statusPath)).toHaveLength(1);
    const report = received.find((r) => r.path === statusPath)!;
    expect(report.authorization).toBe(basic('the-child-password'));
    expect(JSON.parse(report.body)).toMatchObject({ connectionState: 'Online', observedTime: expect.any(String) });
    await expect.poll(() => JSON.parse(readFileSync(dataDir.path('relay-queue.json'), 'utf8'))).toEqual([]);
  });

  it('never sends a queued report with other credentials than the ones that sent it', async () => {
    const dataDir = new DataDir(mkdtempSync(join(tmpdir(), 'relay-queue-')));
    dataDir.prepare();
    const upstreamPort = await freePort();
    const first = await parentEdge(dataDir, upstreamPort);
    // someone with a wrong password queues a report while Canopy is away
    expect(
      (await send(first.base, statusPath, basic('a-guess'), { method: 'POST', body: '{"connectionState":"Unhealthy","version":"x"}' }))
        .status,
    ).toBe(202);

    const received: Received[] = [];
    await gateway(upstreamPort, received);
    const second = await parentEdge(dataDir, upstreamPort);
    expect((await send(second.base, configPath, basic('the-child-password'))).status).toBe(200);
    await expect.poll(() => second.relay.queuedReports).toBe(0);
    expect(received.filter((r) => r.path === statusPath)).toEqual([]);
  });
});

describe('whoami for a direct child, answered offline', () => {
  it('takes the child’s sync token name in any case, as Canopy does', async () => {
    const password = generateTokenPassword();
    const withChild = {
      ...config,
      childSyncTokens: [
        {
          registry: 'line01',
          mode: 'ReadOnly',
          name: 'line01-sync-token',
          status: 'enabled',
          actions: ['gateway/line01/config/read'],
          passwords: [{ name: 'password1', verifier: password.verifier, creationTime: new Date().toISOString(), expiry: null }],
        },
      ],
    } as unknown as EdgeConfig;
    const dataDir = new DataDir(mkdtempSync(join(tmpdir(), 'relay-whoami-')));
    dataDir.prepare();
    const relay = new Relay(
      new Upstream(`http://127.0.0.1:${await freePort()}`, null),
      dataDir,
      new Logger('text', () => {}),
      () => withChild,
    );
    const server = await listen(0, (req, res) => void relay.handle(req, res));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const whoami = (user: string, secret: string) =>
      fetch(`${base}/gateway/v1/whoami?name=LINE01&parentEndpoint=factory01.local:5000`, {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` },
      });
    for (const user of ['line01-sync-token', 'LINE01-Sync-Token']) {
      const res = await whoami(user, password.value);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ registry: 'contoso', connectedRegistry: 'line01' });
    }
    expect((await whoami('LINE01-Sync-Token', 'wrong')).status).toBe(401);
    expect((await whoami('other-token', password.value)).status).toBe(401);
  });
});

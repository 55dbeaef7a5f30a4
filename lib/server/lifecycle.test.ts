// Canopy's server under a shutdown: long polls answered 304, requests in flight finished, keep-alive
// clients told to close, no connection reset. (e2e/server-lifecycle.spec.ts restarts the real
// server under load; this pins the mechanism down quickly with a plain handler.)
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { createCanopyServer, listenBacklog, requestSignal } from './lifecycle';

type Outcome = { status?: number; connection?: string; reused?: boolean; error?: string; at: number };

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  return new Request(`http://canopy.test${req.url}`, { headers });
}

const aborted: string[] = [];
const listening: string[] = []; // polls whose handler waits on its signal
async function handler(req: IncomingMessage, res: ServerResponse) {
  if (req.url === '/slow' || req.url === '/self/slow') {
    await new Promise((r) => setTimeout(r, 1500));
    res.end('done');
  } else if (req.url === '/poll' || req.url === '/poll?node') {
    // as the gateway's long poll: wait for a change, the client's departure or the shutdown; from
    // fetch's Request (a Next.js route) or, `?node`, from Node's request (Canopy's own server answers it)
    const signal = requestSignal(req.url === '/poll' ? toRequest(req) : req);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      const onAbort = () => {
        clearTimeout(timer);
        aborted.push(req.url!);
        resolve();
      };
      // a poll that arrives once the drain has begun gets a signal aborted already (as
      // lib/gateway/config-polls.ts checks): its 'abort' event has fired before it listened
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      listening.push(req.url!);
    });
    res.writeHead(304).end();
  } else if (req.url === '/self') {
    // a request the server answers itself (as the token endpoint): what the lifecycle gave it
    const registered = (globalThis as unknown as { canopyLifecycle: { clients: Map<string, unknown> } }).canopyLifecycle.clients.size;
    res.end(JSON.stringify({ connection: req.headers['x-canopy-connection'] ?? null, registered }));
  } else res.end('ok');
}

function get(port: number, path: string, agent: Agent, signal?: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, signal }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, connection: res.headers.connection, reused: req.reusedSocket, at: Date.now() }),
      );
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, at: Date.now() }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, at: Date.now() }));
    req.end();
  });
}

let stopServer: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stopServer?.();
});

async function start() {
  const port = await freePort();
  const canopy = createCanopyServer(
    (req, res) => void handler(req, res),
    createServer,
    (req) => req.url === '/self' || req.url === '/self/slow',
  );
  await new Promise<void>((r) => canopy.server.listen(port, '127.0.0.1', r));
  stopServer = () => canopy.drain(1000);
  return { port, ...canopy };
}

describe('a client that goes away', () => {
  it.each(['/poll', '/poll?node'])('aborts its request’s signal on the server (%s)', async (path) => {
    const { port } = await start();
    aborted.length = 0;
    listening.length = 0;
    const agent = new Agent({ keepAlive: true });
    const ac = new AbortController();
    const poll = get(port, path, agent, ac.signal);
    // the client leaves once the server waits on its poll (a loaded server takes a while to get there)
    await expect.poll(() => listening.length, { timeout: 20_000 }).toBe(1);
    ac.abort();
    expect((await poll).error).toBeDefined();
    await expect.poll(() => aborted.length, { timeout: 10_000 }).toBe(1);
    agent.destroy();
  });
});

describe('requestSignal', () => {
  it('is aborted for a request whose connection the server has already forgotten (its client left before the route ran)', async () => {
    await start();
    const forgotten = new Request('http://canopy.test/x', { headers: { 'x-canopy-connection': 'no-such-connection' } });
    expect(requestSignal(forgotten).aborted).toBe(true);
    expect(requestSignal(new Request('http://canopy.test/x')).aborted).toBe(false);
    // Node's request, as Canopy's own server answers it
    expect(requestSignal({ headers: { 'x-canopy-connection': 'no-such-connection' } } as unknown as IncomingMessage).aborted).toBe(true);
    expect(requestSignal({ headers: {} } as unknown as IncomingMessage).aborted).toBe(false);
  });

  it('outside Canopy’s server (no connection id) aborts when the server shuts down, with its own signal or without', async () => {
    const { drain } = await start();
    const client = new AbortController();
    const signals = {
      node: requestSignal({ headers: {} } as unknown as IncomingMessage),
      web: requestSignal(new Request('http://canopy.test/x')),
      webWithOwn: requestSignal(new Request('http://canopy.test/x', { signal: client.signal })),
      webLeft: requestSignal(new Request('http://canopy.test/x', { signal: AbortSignal.abort() })),
    };
    expect(Object.values(signals).map((s) => s.aborted)).toEqual([false, false, false, true]);
    stopServer = undefined;
    await drain(1000);
    expect(Object.values(signals).map((s) => s.aborted)).toEqual([true, true, true, true]);
  });
});

describe('a request the server answers itself', () => {
  it('is not registered as a client and keeps no connection id, not even one its client sent', async () => {
    const { port } = await start();
    const answer = await fetch(`http://127.0.0.1:${port}/self`, { headers: { 'x-canopy-connection': 'forged' } });
    expect(await answer.json()).toEqual({ connection: null, registered: 0 });
    // any other request is registered under the server's own id
    const polled = requestSignalOfNextRequest(port);
    expect(await polled).toMatchObject({ registered: true, forged: false });
  });
});

/** Sends a /poll with a forged connection id and reports what the server made of it while it waits. */
async function requestSignalOfNextRequest(port: number) {
  const agent = new Agent({ keepAlive: true });
  const ac = new AbortController();
  const poll = new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/poll', agent, signal: ac.signal, headers: { 'x-canopy-connection': 'forged' } });
    req.on('error', () => resolve());
    req.end();
  });
  const clients = (globalThis as unknown as { canopyLifecycle: { clients: Map<string, unknown> } }).canopyLifecycle.clients;
  await expect.poll(() => clients.size, { timeout: 2000 }).toBe(1);
  const result = { registered: clients.size === 1, forged: clients.has('forged') };
  ac.abort();
  await poll;
  agent.destroy();
  return result;
}

describe('the listen backlog', () => {
  it('counts connections the kernel completed that the server has not accepted yet', async () => {
    const server = createNetServer((socket) => socket.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    expect(listenBacklog(server)).toBe(0);
    const clients = Array.from({ length: 5 }, () => connect(port, '127.0.0.1').on('error', () => {}));
    // the event loop is kept busy while the kernel completes the handshakes: nothing is accepted
    await new Promise((r) => process.nextTick(r));
    const until = Date.now() + 3000;
    while (Date.now() < until && listenBacklog(server) < 5) {
      /* busy */
    }
    expect(listenBacklog(server)).toBe(5);
    // once the event loop turns, the server accepts them
    const accepted = Date.now() + 5000;
    while (Date.now() < accepted && listenBacklog(server) > 0) await new Promise((r) => setTimeout(r, 20));
    expect(listenBacklog(server)).toBe(0);
    for (const c of clients) c.destroy();
    await new Promise((r) => server.close(r));
  });
});

describe('drain', () => {
  it('answers open long polls, lets requests in flight finish, closes keep-alive connections cleanly, and resets none', async () => {
    const { port, drain } = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes: Outcome[] = [];
    let stop = false;
    // 8 clients in a loop on keep-alive connections (10 ms between requests), until the server
    // refuses new connections
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const o = await get(port, '/fast', agent);
        outcomes.push(o);
        if (o.error === 'ECONNREFUSED') return;
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    const polls = ['/poll', '/poll', '/poll?node', '/poll?node'].map((path) => get(port, path, agent));
    await new Promise((r) => setTimeout(r, 300));
    // a request the server answers itself, later (a token request that waits for the database):
    // in flight like any other, though it is answered at once most of the time and then not counted
    const slow = ['/slow', '/slow', '/slow', '/self/slow'].map((path) => get(port, path, agent));
    await new Promise((r) => setTimeout(r, 100));

    const drained = drain(10_000);
    const pollAnswers = await Promise.all(polls);
    const slowAnswers = await Promise.all(slow);
    expect(await drained).toEqual({ forced: 0 });
    stop = true;
    await Promise.all(loops);

    // answered by the drain: a poll left to its own 30 s would have been cut at the 10 s deadline
    for (const p of pollAnswers) expect(p).toMatchObject({ status: 304 });
    // finished, not reset (whether they say `Connection: close` depends on whether they ended
    // before the listener closed, which waits for the backlog to be accepted: load decides)
    for (const s of slowAnswers) expect(s).toMatchObject({ status: 200 });
    expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(20);
    // no reset, no hang-up: only refused new connections once the server stopped accepting
    expect(outcomes.filter((o) => o.error && o.error !== 'ECONNREFUSED')).toEqual([]);
    expect((await get(port, '/fast', new Agent())).error).toBe('ECONNREFUSED');
    agent.destroy();
    stopServer = undefined;
  });

  it('never closes an idle keep-alive connection itself: a request its client sends on it during the drain is answered', async () => {
    const { port, server, drain } = await start();
    // the connection may close only because the drain closes it
    server.keepAliveTimeout = 120_000;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(port, '/fast', agent)).toMatchObject({ status: 200, reused: false });
    const drained = drain(10_000);
    // the connection stays idle for a while after the drain began (long enough for a drain that
    // closes idle connections after half a second to close it; its client's next request would
    // then be reset, or refused on a new connection)
    await new Promise((r) => setTimeout(r, 1500));
    expect(await get(port, '/fast', agent)).toMatchObject({ status: 200, connection: 'close', reused: true });
    expect(await drained).toEqual({ forced: 0 });
    agent.destroy();
    stopServer = undefined;
  });
});

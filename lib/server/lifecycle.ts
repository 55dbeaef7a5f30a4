// Canopy's own HTTP server (scripts/start.ts): client disconnects, and a graceful shutdown.
//
// Next.js bundles the route handlers apart from this module's copy in the server script, so the
// two meet through globalThis (as the change bus does). The server tags each request with a
// connection id the client cannot choose; a route asks `requestSignal(req)` for a signal that
// aborts when that client goes away (Next's own `req.signal` does not fire behind a custom
// server: aborted long polls kept building configurations) or when the server shuts down.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

const CONNECTION_HEADER = 'x-canopy-connection';

type Lifecycle = { clients: Map<string, AbortController>; shutdown: AbortController };
const g = globalThis as unknown as { canopyLifecycle?: Lifecycle };
const lifecycle = (g.canopyLifecycle ??= { clients: new Map(), shutdown: new AbortController() });

/** Route side: aborts when the client has gone away or the server is shutting down. */
export function requestSignal(req: Request): AbortSignal {
  const id = req.headers.get(CONNECTION_HEADER);
  if (!id) return AbortSignal.any([req.signal, lifecycle.shutdown.signal]); // not behind Canopy's server
  const client = lifecycle.clients.get(id);
  // the server forgets a request when its connection closes: a client gone before the route ran
  if (!client) return AbortSignal.abort();
  return AbortSignal.any([req.signal, lifecycle.shutdown.signal, client.signal]);
}

export function shuttingDown(): boolean {
  return lifecycle.shutdown.signal.aborted;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An HTTP server that knows its requests and connections, so that `drain` can stop accepting,
 * answer open long polls (they see the shutdown signal and answer 304), let requests in flight
 * finish, tell every keep-alive client to close (`Connection: close` on each response from then
 * on), and only then close what is left — so that a restart resets no connection.
 */
export function createCanopyServer(handler: RequestHandler, create: (h: RequestHandler) => Server) {
  const inFlight = new Set<ServerResponse>();
  const busy = new Map<Socket, number>(); // requests open on each connection
  const idleSince = new Map<Socket, number>();
  let draining = false;
  // a server that starts after another one drained (tests do) starts afresh
  if (lifecycle.shutdown.signal.aborted) lifecycle.shutdown = new AbortController();

  const server = create((req, res) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    idleSince.delete(socket);
    inFlight.add(res);
    if (draining) res.setHeader('Connection', 'close');
    const id = randomUUID();
    const client = new AbortController();
    lifecycle.clients.set(id, client);
    // overwrite whatever the client sent: the id is the server's
    req.headers[CONNECTION_HEADER] = id;
    res.once('close', () => {
      lifecycle.clients.delete(id);
      if (!res.writableFinished) client.abort();
      inFlight.delete(res);
      const left = (busy.get(socket) ?? 1) - 1;
      busy.set(socket, left);
      if (left === 0) idleSince.set(socket, Date.now());
    });
    handler(req, res);
  });
  server.on('connection', (socket: Socket) => {
    busy.set(socket, 0);
    idleSince.set(socket, Date.now());
    socket.once('close', () => {
      busy.delete(socket);
      idleSince.delete(socket);
    });
  });

  /**
   * Stops accepting and waits (at most `timeoutMs`) for requests in flight; connections that
   * stay idle are closed once no request is left. Resolves when every connection is closed.
   */
  async function drain(timeoutMs = 10_000): Promise<{ forced: number }> {
    if (draining) return { forced: 0 };
    draining = true;
    lifecycle.shutdown.abort();
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    // connections the kernel has already completed wait in the listen backlog: let this turn of
    // the event loop accept them (they are served, with `Connection: close`) before closing the
    // listener, which resets whatever is still waiting there
    await new Promise((r) => setImmediate(r));
    // http.Server#close would also drop idle keep-alive connections at once, racing with the
    // requests their clients may be sending on them: stop accepting only.
    NetServer.prototype.close.call(server);
    const deadline = Date.now() + timeoutMs;
    const IDLE_GRACE_MS = 500;
    for (;;) {
      const now = Date.now();
      if (now >= deadline) break;
      if (inFlight.size === 0) {
        // every response since the drain began said `Connection: close`; a connection idle for a
        // moment after the last response has no request coming
        for (const [socket, since] of idleSince) if (now - since >= IDLE_GRACE_MS) socket.end();
        if (busy.size === 0) return { forced: 0 };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const forced = busy.size;
    for (const socket of busy.keys()) socket.destroy();
    return { forced };
  }

  return { server, drain, isDraining: () => draining };
}

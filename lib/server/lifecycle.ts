// Canopy's own HTTP server (scripts/start.ts): client disconnects, and a graceful shutdown.
//
// Next.js bundles the route handlers apart from this module's copy in the server script, so the
// two meet through globalThis (as the change bus does). The server tags each request with a
// connection id the client cannot choose; a route asks `requestSignal(req)` for a signal that
// aborts when that client goes away (Next's own `req.signal` does not fire behind a custom
// server: aborted long polls kept building configurations) or when the server shuts down.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

const CONNECTION_HEADER = 'x-canopy-connection';

// A request's controller is made only when its route asks for a signal: most requests (every
// token request) never do, and an AbortController per request is a cost on the hot path.
type Client = { controller?: AbortController };
type Lifecycle = { clients: Map<string, Client>; shutdown: AbortController };
const g = globalThis as unknown as { canopyLifecycle?: Lifecycle };
const lifecycle = (g.canopyLifecycle ??= { clients: new Map(), shutdown: new AbortController() });

/**
 * Route side: aborts when the client has gone away or the server is shutting down. A request
 * Canopy's server answers itself (Node's, not fetch's) has no signal of its own: its client's is it.
 */
export function requestSignal(req: Request | IncomingMessage): AbortSignal {
  const web = req instanceof Request;
  const id = web ? req.headers.get(CONNECTION_HEADER) : req.headers[CONNECTION_HEADER];
  const own = web ? [req.signal] : [];
  // not behind Canopy's server
  if (typeof id !== 'string' || !id) return AbortSignal.any([...own, lifecycle.shutdown.signal]);
  const client = lifecycle.clients.get(id);
  // the server forgets a request when its connection closes: a client gone before the route ran
  if (!client) return AbortSignal.abort();
  client.controller ??= new AbortController();
  return AbortSignal.any([...own, lifecycle.shutdown.signal, client.controller.signal]);
}

export function shuttingDown(): boolean {
  return lifecycle.shutdown.signal.aborted;
}

/**
 * How many connections the kernel has completed for `server` that it has not accepted yet: Linux
 * shows a listening socket's accept queue as its rx_queue in /proc/net/tcp and tcp6. 0 where
 * that cannot be read (another system, or the server is not listening on TCP).
 */
export function listenBacklog(server: NetServer): number {
  const address = server.address();
  if (!address || typeof address === 'string') return 0;
  const port = `:${address.port.toString(16).toUpperCase().padStart(4, '0')} `;
  let queued = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.includes(port)) continue;
      // sl local_address rem_address st tx_queue:rx_queue …; 0A is LISTEN
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(port.trimEnd())) queued += parseInt(queues?.split(':')[1] ?? '0', 16) || 0;
    }
  }
  return queued;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function hasRawHeader(rawHeaders: readonly string[], name: string): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) return true;
  return false;
}

/**
 * An HTTP server that knows its requests and connections, so that `drain` can stop accepting,
 * answer open long polls (they see the shutdown signal and answer 304), let requests in flight
 * finish, tell every keep-alive client to close (`Connection: close` on each response from then
 * on), and only then close what is left — so that a restart resets no connection.
 *
 * What `drain` never does is close an idle keep-alive connection itself: a client may be sending
 * its next request on it at that very moment (or have sent it already, unread while the event
 * loop was busy), and that request would be lost to a reset. Such a connection closes after its
 * next response (which says `Connection: close`), when its client closes it, or at the server's
 * keep-alive timeout, as in normal operation.
 */
export function createCanopyServer(
  handler: RequestHandler,
  create: (h: RequestHandler) => Server,
  /** requests the server answers itself, which never ask for a signal (token requests): not registered as clients */
  signalFree: (req: IncomingMessage) => boolean = () => false,
) {
  const inFlight = new Set<ServerResponse>();
  const connections = new Map<Socket, number>(); // open connections, with the requests open on each
  let draining = false;
  let closing = false; // the listener is closed: every response from now on says `Connection: close`
  // a server that starts after another one drained (tests do) starts afresh
  if (lifecycle.shutdown.signal.aborted) lifecycle.shutdown = new AbortController();

  // the id only has to be the server's (a client's header is overwritten): a counter will do
  const connectionIdPrefix = `${randomUUID()}:`;
  let nextRequest = 0;
  /** Counts a request as open on its connection and in flight until its response closes. */
  function track(req: IncomingMessage, res: ServerResponse, id: string | undefined, client: Client) {
    const socket = req.socket;
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    inFlight.add(res);
    res.once('close', () => {
      if (id !== undefined) lifecycle.clients.delete(id);
      if (!res.writableFinished) client.controller?.abort();
      inFlight.delete(res);
      // a connection that closed under its request is already forgotten
      if (connections.has(socket)) connections.set(socket, connections.get(socket)! - 1);
    });
  }

  const server = create((req, res) => {
    if (closing) res.setHeader('Connection', 'close');
    if (signalFree(req)) {
      // overwrite whatever the client sent: the id is the server's, and these requests have none
      // (looked for in the raw list: req.headers is built on first use, and a token request needs it not)
      if (hasRawHeader(req.rawHeaders, CONNECTION_HEADER)) delete req.headers[CONNECTION_HEADER];
      handler(req, res);
      // answered at once (a token grant from memory): nothing left in flight to count or wait for
      if (!res.writableEnded) track(req, res, undefined, {});
      return;
    }
    const id = `${connectionIdPrefix}${(nextRequest += 1)}`;
    const client: Client = {};
    lifecycle.clients.set(id, client);
    req.headers[CONNECTION_HEADER] = id;
    track(req, res, id, client);
    handler(req, res);
  });
  server.on('connection', (socket: Socket) => {
    connections.set(socket, 0);
    socket.once('close', () => connections.delete(socket));
  });

  /**
   * Stops accepting, answers long polls, and waits (at most `timeoutMs`) until every connection
   * has closed; then closes what is left. Resolves with the number of connections that still
   * had a request open at the deadline.
   */
  async function drain(timeoutMs = 10_000): Promise<{ forced: number }> {
    if (draining) return { forced: 0 };
    draining = true;
    const deadline = Date.now() + timeoutMs;
    // Connections the kernel has already completed wait in the listen backlog: accept them before
    // closing the listener, which resets whatever still waits there. Node accepts one connection
    // per turn of its event loop, and a loaded loop turns slowly (seen: 300-450 ms a turn at load
    // ~18, with 7 connections waiting), so wait turn by turn until the backlog is empty, for at
    // most half the drain's time. Until the listener is closed no response says
    // `Connection: close`, so that no client is sent to open a new connection that would land in
    // that backlog.
    const backlogDeadline = Date.now() + timeoutMs / 2;
    do await new Promise((r) => setImmediate(r));
    while (Date.now() < backlogDeadline && listenBacklog(server) > 0);
    // http.Server#close would also drop idle keep-alive connections at once, racing with the
    // requests their clients may be sending on them: stop accepting only.
    NetServer.prototype.close.call(server);
    closing = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    lifecycle.shutdown.abort();
    while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    let forced = 0;
    for (const [socket, open] of connections) {
      if (open > 0) forced += 1;
      socket.destroy();
    }
    return { forced };
  }

  return { server, drain, isDraining: () => draining };
}

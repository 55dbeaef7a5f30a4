// Upward sync within seconds: the edge's registry posts its push events here
// (`notifications.endpoints`, pulls ignored), on loopback with a secret header. A tag pushed by a
// client (not by the sync engine itself: its tokens' subject is SYNC_SUBJECT) in a repository of
// the configuration is a hint that the next run should come early. Only a hint: distribution
// keeps its events in memory (lost on restart), and the next scheduled run is the truth.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYNC_SUBJECT } from './local-auth';

type Event = { action?: string; target?: { repository?: string; tag?: string }; actor?: { name?: string } };

export type NotificationTarget = { url: string; authorization: string };

export class PushHints {
  private server: http.Server | null = null;
  private readonly authorization = `Bearer ${randomBytes(24).toString('base64url')}`;
  target: NotificationTarget | null = null;

  constructor(private readonly onPush: (repositories: string[]) => void) {}

  async start(): Promise<NotificationTarget> {
    const server = http.createServer((req, res) => {
      const given = Buffer.from(String(req.headers.authorization ?? ''));
      const expected = Buffer.from(this.authorization);
      if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        req.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1024 * 1024) chunks.push(c);
      });
      req.on('end', () => {
        res.writeHead(200).end();
        try {
          const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: Event[] };
          const repositories = new Set<string>();
          for (const e of events ?? []) {
            if (e.action === 'push' && e.target?.tag && e.target.repository && e.actor?.name !== SYNC_SUBJECT)
              repositories.add(e.target.repository);
          }
          if (repositories.size) this.onPush([...repositories]);
        } catch {
          /* not an envelope: nothing to hint */
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.target = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, authorization: this.authorization };
    return this.target;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
  }
}

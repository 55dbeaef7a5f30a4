// A real webhook receiver on loopback for tests: it verifies each request's Standard Webhooks
// signature with its own code (not Canopy's), records what arrived, and answers what the test
// scripts (500 twice, then 200, say).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export type Received = {
  headers: IncomingHttpHeaders;
  body: string;
  event: Record<string, unknown>;
  validSignatures: number;
  answered: number;
};

/** How many of the header's `v1,` signatures are valid for one of `secrets`. */
export function validSignatureCount(secrets: string[], headers: IncomingHttpHeaders, body: string): number {
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = secrets.map((s) =>
    createHmac('sha256', Buffer.from(s.slice('whsec_'.length), 'base64'))
      .update(signed)
      .digest(),
  );
  let valid = 0;
  for (const part of String(headers['webhook-signature'] ?? '').split(' ')) {
    const [version, value] = part.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    if (version === 'v1' && expected.some((e) => e.length === given.length && timingSafeEqual(e, given))) valid += 1;
  }
  return valid;
}

export type Receiver = {
  url: string;
  received: Received[];
  /** the secrets signatures are checked against (set after the endpoint is created) */
  secrets: string[];
  /** statuses to answer, in order; 200 once they run out */
  script: number[];
  /** waits until `count` requests arrived (or fails after `timeoutMs`) */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
};

export async function startReceiver(options: { responseBody?: string; hang?: boolean; redirectTo?: string } = {}): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> & { url?: string } = {
    received: [],
    secrets: [],
    script: [],
    async waitFor(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (receiver.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} webhook requests, got ${receiver.received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return receiver.received;
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.hang) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.script.shift() ?? 200;
      let event: Record<string, unknown> = {};
      try {
        event = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as it came
      }
      receiver.received.push({
        headers: req.headers,
        body,
        event,
        validSignatures: validSignatureCount(receiver.secrets, req.headers, body),
        answered: status,
      });
      if (options.redirectTo) {
        res.writeHead(302, { location: options.redirectTo }).end();
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(options.responseBody ?? (status < 300 ? 'ok' : 'receiver says no'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as Receiver;
}

/**
 * For a test file: a receiver started before its tests (private addresses allowed meanwhile, as
 * loopback is one) and closed after. Returns a getter for it.
 */
export function setupWebhookReceiver(): () => Receiver {
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE = 'true';
    receiver = await startReceiver();
  });
  afterAll(async () => {
    delete process.env.CANOPY_WEBHOOK_ALLOW_PRIVATE;
    await receiver?.close();
  });
  return () => receiver!;
}

// The token path's client address, read by the Node server without the x-canopy-client-address
// header the portal's requests get: the socket's, whatever a client sends, or the first
// X-Forwarded-For entry behind a trusted proxy.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { tokenClientAddress } from './node-handler';

describe('tokenClientAddress', () => {
  it('is the socket’s address, never one a client claims; behind a trusted proxy the first X-Forwarded-For entry', async () => {
    const port = await freePort();
    const server = createServer((req, res) => {
      res.end(JSON.stringify({ untrusted: tokenClientAddress(req, false), trusted: tokenClientAddress(req, true) }));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const claimed = await fetch(`http://127.0.0.1:${port}/oauth2/token`, {
        headers: { 'x-canopy-client-address': '198.51.100.7', 'x-forwarded-for': ' 203.0.113.9 , 10.0.0.1' },
      });
      expect(await claimed.json()).toEqual({ untrusted: '127.0.0.1', trusted: '203.0.113.9' });
      // trusted, but no proxy said anything: the socket's
      const direct = await fetch(`http://127.0.0.1:${port}/oauth2/token`);
      expect(await direct.json()).toEqual({ untrusted: '127.0.0.1', trusted: '127.0.0.1' });
    } finally {
      server.close();
    }
  });
});

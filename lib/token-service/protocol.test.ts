// The token protocol's answers as they go on the wire: the grant's JSON and the headers of one writeHead.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '@/lib/free-port';
import { errorResponse, grantResponse, rawHeader, serveTokenHttp, type TokenHttpResponse } from './protocol';

describe('grantResponse', () => {
  it('writes the same JSON as the object it stands for, a refresh token included', () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
    expect(grantResponse(token, 1_700_000_000, 300).body).toBe(
      JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2023-11-14T22:13:20.000Z' }),
    );
    expect(JSON.parse(grantResponse(token, 1_700_000_000, 300, 'refresh.token.x').body)).toEqual({
      token,
      access_token: token,
      expires_in: 300,
      issued_at: '2023-11-14T22:13:20.000Z',
      refresh_token: 'refresh.token.x',
    });
  });

  it('quotes a token it signed (a compact JWS) as JSON does, and dates each second anew', () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2l-_g';
    for (const iat of [1_700_000_000, 1_700_000_000, 1_700_000_001, 1_600_000_000]) {
      const issued_at = new Date(iat * 1000).toISOString();
      expect(grantResponse(token, iat, 300, undefined, true).body).toBe(
        JSON.stringify({ token, access_token: token, expires_in: 300, issued_at }),
      );
    }
  });

  it('escapes a refresh token sent back as the client gave it', () => {
    // a refresh_token grant answers the client's own refresh token: never raw text in the JSON
    const sent = 'a"b\\c\n</script>';
    const body = JSON.parse(grantResponse('t.t.t', 1_700_000_000, 300, sent).body) as Record<string, unknown>;
    expect(body.refresh_token).toBe(sent);
    expect(Object.keys(body)).toEqual(['token', 'access_token', 'expires_in', 'issued_at', 'refresh_token']);
  });
});

describe('rawHeader', () => {
  it('reads a header’s first value from the raw list, its name in any case', () => {
    const raw = ['Host', 'canopy', 'AUTHORIZATION', 'Basic first', 'authorization', 'Basic second', 'Content-Type', 'a/b'];
    expect(rawHeader(raw, 'authorization')).toBe('Basic first');
    expect(rawHeader(raw, 'content-type')).toBe('a/b');
    expect(rawHeader(raw, 'content-length')).toBeUndefined();
    expect(rawHeader([], 'authorization')).toBeUndefined();
  });
});

describe('serveTokenHttp', () => {
  async function served(result: TokenHttpResponse) {
    const port = await freePort();
    const server = createServer((req, res) => void serveTokenHttp(req, res, () => result, '127.0.0.1'));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/oauth2/token`);
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    } finally {
      server.close();
    }
  }

  it('sends a grant with its JSON and security headers and its length, not chunked', async () => {
    const grant = grantResponse('t.é.t', 1_700_000_000, 300);
    const { status, headers, body } = await served(grant);
    expect(status).toBe(200);
    expect(body).toBe(grant.body);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-length': String(Buffer.byteLength(grant.body)),
    });
    expect(headers['transfer-encoding']).toBeUndefined();
  });

  it('sends a grant of its own JWS as the ASCII it is (latin1, its length its characters), and one with a non-ASCII refresh token as UTF-8', async () => {
    const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2l-_g';
    const signed = grantResponse(jws, 1_700_000_000, 300, 'eyJh.eyJz.c2ln', true);
    expect(signed.ascii).toBe(true);
    const ascii = await served(signed);
    expect(ascii.body).toBe(signed.body);
    expect(ascii.headers['content-length']).toBe(String(signed.body.length));
    // a refresh token the client sent back is its text: not flagged, its bytes counted as UTF-8
    const echoed = grantResponse(jws, 1_700_000_000, 300, 'refresh-é', true);
    expect(echoed.ascii).toBeUndefined();
    const utf8 = await served(echoed);
    expect(utf8.body).toBe(echoed.body);
    expect(utf8.headers['content-length']).toBe(String(Buffer.byteLength(echoed.body)));
    expect(Buffer.byteLength(echoed.body)).toBeGreaterThan(echoed.body.length);
  });

  it('sends an error’s own headers beside the common ones', async () => {
    const { status, headers } = await served(errorResponse(429, 'Too many.', { 'Retry-After': '17' }));
    expect(status).toBe(429);
    expect(headers).toMatchObject({ 'retry-after': '17', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    const unauthorized = await served(errorResponse(401, 'No.'));
    expect(unauthorized.headers['www-authenticate']).toBe('Basic realm="canopy"');
    expect(unauthorized.headers['retry-after']).toBeUndefined();
  });
});

// The edge's token endpoint, offline from a configuration: the same protocol as Canopy's, the
// failure limit that never refuses a correct password, refresh tokens, ReadOnly and disabled.
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyMaterial, type KeyMaterial } from '@/lib/token-service/key-material';
import { generateTokenPassword } from '@/lib/tokens/passwords';
import type { EdgeConfig } from './config';
import { parseOptions, UsageError } from './options';
import { EDGE_FAILURE_LIMITS, EdgeTokenService, FailureLimiter } from './token-service';

const kiosk = generateTokenPassword();
const child = generateTokenPassword();
const now = new Date().toISOString();
let config: EdgeConfig;
let refusal: string | null = null;
let service: EdgeTokenService;
let material: KeyMaterial;

function base(): EdgeConfig {
  return {
    schemaVersion: 1,
    name: 'store01',
    registry: 'contoso',
    mode: 'ReadWrite',
    loginServer: 'store01.local:5000',
    parent: { kind: 'cloudRegistry' },
    repositories: ['apps/web'],
    descendants: ['shelf01'],
    syncSchedule: '* * * * *',
    syncWindow: null,
    syncMessageTtl: 'P2D',
    logLevel: 'Information',
    notifications: [],
    syncToken: { name: 'store01-sync-token', status: 'enabled' },
    clientTokens: [
      {
        name: 'kiosk',
        status: 'enabled',
        actions: ['repositories/apps/web/content/read', 'repositories/apps/web/content/write'],
        passwords: [{ name: 'password1', verifier: kiosk.verifier, creationTime: now, expiry: null }],
      },
    ],
    childSyncTokens: [
      {
        registry: 'shelf01',
        mode: 'ReadOnly',
        name: 'shelf01-sync-token',
        status: 'enabled',
        actions: ['repositories/apps/web/content/read', 'gateway/shelf01/config/read'],
        passwords: [{ name: 'password1', verifier: child.verifier, creationTime: now, expiry: null }],
      },
    ],
  };
}

function get(user: string, password: string, scope = 'repository:apps/web:pull,push', address = '10.0.0.1', extra = '') {
  return service.issue({
    method: 'GET',
    url: `/oauth2/token?service=store01.local:5000&scope=${encodeURIComponent(scope)}${extra}`,
    header: (name) => (name === 'authorization' ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : null),
    body: async () => '',
    clientAddress: address,
  });
}

const access = (body: string) => decodeJwt(JSON.parse(body).token).access;

beforeAll(async () => {
  material = await generateKeyMaterial('edge test');
  service = new EdgeTokenService(material, () => ({ config, refusal }));
});

describe('the edge token endpoint', () => {
  it('grants a client token the intersection of what it asked and what its scope map allows, signed by the edge', async () => {
    config = base();
    const res = await get('kiosk', kiosk.value, 'repository:apps/web:pull,push,delete repository:apps/other:pull');
    expect(res.status).toBe(200);
    expect(access(res.body)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull', 'push'] }]);
    const token = JSON.parse(res.body).token;
    expect(decodeJwt(token)).toMatchObject({ iss: 'canopy-edge/store01', sub: 'kiosk', aud: 'store01.local:5000' });
    expect(decodeProtectedHeader(token).x5c).toHaveLength(1);
    expect(res.headers['Cache-Control']).toBe('no-store');
  });

  it('signs with node:crypto a JWT that jose verifies against the edge certificate, as distribution will', async () => {
    config = base();
    const token = JSON.parse((await get('kiosk', kiosk.value, 'repository:apps/web:pull')).body).token as string;
    const { payload, protectedHeader } = await jwtVerify(token, await importX509(material.certificate, 'ES256'), {
      issuer: 'canopy-edge/store01',
      audience: 'store01.local:5000',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: material.kid,
      x5c: [material.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')],
    });
    expect(Object.keys(payload)).toEqual(['access', 'iss', 'sub', 'aud', 'iat', 'nbf', 'exp', 'jti']);
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('accepts a direct child’s sync token with its sync scope map', async () => {
    const res = await get('shelf01-sync-token', child.value);
    expect(access(res.body)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
  });

  it('takes a token name in any case, as Canopy does, and signs for the name as Canopy spells it', async () => {
    config = base();
    for (const user of ['KIOSK', 'Kiosk']) {
      const res = await get(user, kiosk.value, 'repository:apps/web:pull', '10.4.0.1');
      expect(res.status, res.body).toBe(200);
      expect(decodeJwt(JSON.parse(res.body).token).sub).toBe('kiosk');
    }
    expect(access((await get('Shelf01-Sync-Token', child.value, undefined, '10.4.0.1')).body)).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
    expect((await get('KIOSK', 'wrong', undefined, '10.4.0.2')).status).toBe(401);
  });

  it('never grants push on a ReadOnly registry, and nothing at all on a disabled one', async () => {
    config = { ...base(), mode: 'ReadOnly' };
    expect(access((await get('kiosk', kiosk.value)).body)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
    config = base();
    refusal = 'Connected registry store01 is disabled in Canopy.';
    const res = await get('kiosk', kiosk.value);
    expect(res.status).toBe(401);
    expect(res.body).toContain('disabled');
    refusal = null;
  });

  it('refuses wrong, disabled, expired and unknown credentials with 401, and another service with 400', async () => {
    config = base();
    expect((await get('kiosk', 'wrong', undefined, '10.1.0.1')).status).toBe(401);
    expect((await get('nobody', kiosk.value, undefined, '10.1.0.2')).status).toBe(401);
    config = { ...base(), clientTokens: [{ ...base().clientTokens[0], status: 'disabled' }] };
    expect((await get('kiosk', kiosk.value, undefined, '10.1.0.3')).status).toBe(401);
    const expired = { ...base().clientTokens[0].passwords[0], expiry: new Date(Date.now() - 1000).toISOString() };
    config = { ...base(), clientTokens: [{ ...base().clientTokens[0], passwords: [expired] }] };
    expect((await get('kiosk', kiosk.value, undefined, '10.1.0.4')).status).toBe(401);
    config = base();
    const other = await service.issue({
      method: 'GET',
      url: '/oauth2/token?service=elsewhere',
      header: () => null,
      body: async () => '',
      clientAddress: '10.1.0.5',
    });
    expect(other.status).toBe(400);
  });

  it('limits failures per token and address with 429, but never refuses the correct password', async () => {
    config = base();
    let last;
    for (let i = 0; i <= EDGE_FAILURE_LIMITS.perTokenAndAddress; i++) last = await get('kiosk', `guess-${i}`, undefined, '10.2.0.1');
    expect(last!.status).toBe(429);
    expect(Number(last!.headers['Retry-After'])).toBeGreaterThan(0);
    expect((await get('kiosk', kiosk.value, undefined, '10.2.0.1')).status).toBe(200);
    // another address is not held back by this one's failures
    expect((await get('kiosk', 'guess-x', undefined, '10.2.0.2')).status).toBe(401);
  });

  it('never counts a right password against the limits: a disabled token, an expired password or a disabled registry, asked for again and again, get 401, and others at that address are served', async () => {
    const expired = { ...base().clientTokens[0].passwords[0], expiry: new Date(Date.now() - 1000).toISOString() };
    const cases: [string, EdgeConfig, string | null][] = [
      ['10.3.0.1', { ...base(), clientTokens: [{ ...base().clientTokens[0], status: 'disabled' }] }, null],
      ['10.3.0.2', { ...base(), clientTokens: [{ ...base().clientTokens[0], passwords: [expired] }] }, null],
      ['10.3.0.3', base(), 'Connected registry store01 is disabled in Canopy.'],
    ];
    for (const [address, refusing, why] of cases) {
      config = refusing;
      refusal = why;
      const answers = new Set<string>();
      for (let i = 0; i <= EDGE_FAILURE_LIMITS.perAddress + 5; i++) {
        const res = await get('kiosk', kiosk.value, undefined, address);
        answers.add(`${res.status} ${JSON.parse(res.body).errors[0].message}`);
      }
      expect([...answers]).toHaveLength(1);
      expect([...answers][0]).toMatch(/^401 .*(disabled|expired)/);
      config = base();
      refusal = null;
      expect((await get('shelf01-sync-token', child.value, undefined, address)).status).toBe(200);
    }
  });

  it('counts a refresh token that is not valid as a wrong credential', async () => {
    config = base();
    let status = 0;
    for (let i = 0; i <= EDGE_FAILURE_LIMITS.perAddress; i++) {
      const res = await service.issue({
        method: 'POST',
        url: '/oauth2/token',
        header: (name) => (name === 'content-type' ? 'application/x-www-form-urlencoded' : null),
        body: async () =>
          new URLSearchParams({
            grant_type: 'refresh_token',
            service: 'store01.local:5000',
            refresh_token: `forged.${i}.token`,
            client_id: 'test',
          }).toString(),
        clientAddress: '10.3.1.1',
      });
      status = res.status;
    }
    expect(status).toBe(429);
  });

  it('keeps failure counts in a sliding window, in bounded memory, whatever the number of failures', () => {
    const limiter = new FailureLimiter(60_000);
    const key = [{ key: 'token:kiosk|10.9.0.1', max: 3 }];
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.record(key, t0 + i * 1000)).toBe(0);
    // the fourth failure within the minute is over the limit until the first leaves the window
    expect(limiter.record(key, t0 + 3000)).toBe(57);
    // a flood: each failure still answers when the (max + 1)-th most recent one leaves the window
    for (let i = 0; i < 10_000; i++) limiter.record(key, t0 + 4000 + i);
    expect(limiter.record(key, t0 + 20_000)).toBe(60 - Math.floor((20_000 - (4000 + 9997)) / 1000));
    // once the window has passed, the key starts afresh
    expect(limiter.record(key, t0 + 200_000)).toBe(0);
    expect((limiter as unknown as { failures: Map<string, { times: number[] }> }).failures.get(key[0].key)!.times).toHaveLength(4);
  });

  it('issues refresh tokens (offline_token) that the refresh_token grant accepts until the slot is regenerated', async () => {
    config = base();
    const first = JSON.parse((await get('kiosk', kiosk.value, undefined, '10.3.0.1', '&offline_token=true')).body);
    expect(first.refresh_token).toBeTruthy();
    const refresh = (form: Record<string, string>) =>
      service.issue({
        method: 'POST',
        url: '/oauth2/token',
        header: (name) => (name === 'content-type' ? 'application/x-www-form-urlencoded' : null),
        body: async () => new URLSearchParams(form).toString(),
        clientAddress: '10.3.0.1',
      });
    const refreshed = await refresh({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      service: 'store01.local:5000',
      client_id: 'test',
      scope: 'repository:apps/web:pull',
    });
    expect(refreshed.status).toBe(200);
    expect(access(refreshed.body)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
    const password = await refresh({
      grant_type: 'password',
      username: 'kiosk',
      password: kiosk.value,
      service: 'store01.local:5000',
      client_id: 'test',
      scope: 'repository:apps/web:push',
    });
    expect(access(password.body)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['push'] }]);
    // the slot is regenerated: same name, another creation time
    const regenerated = { ...base().clientTokens[0].passwords[0], creationTime: new Date(Date.now() + 1000).toISOString() };
    config = { ...base(), clientTokens: [{ ...base().clientTokens[0], passwords: [regenerated] }] };
    expect(
      (await refresh({ grant_type: 'refresh_token', refresh_token: first.refresh_token, service: 'store01.local:5000', client_id: 'test' }))
        .status,
    ).toBe(401);
  });
});

describe('the edge’s flags', () => {
  const cs =
    'ConnectedRegistryName=store01;SyncTokenName=store01-sync-token;SyncTokenPassword=secret;ParentGatewayEndpoint=store.example;ParentEndpointProtocol=https';
  it('refuses a connection string file that others can read, and reads one that only its owner can', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edge-opts-')), 'cs');
    writeFileSync(file, cs);
    chmodSync(file, 0o644);
    expect(() => parseOptions(['--connection-string-file', file, '--data-dir', '/tmp/x', '--registry-bin', '/bin/sh'])).toThrow(
      /readable by others.*chmod 600/,
    );
    chmodSync(file, 0o600);
    const parsed = parseOptions(['--connection-string-file', file, '--data-dir', '/tmp/x', '--registry-bin', '/bin/sh']);
    expect(parsed.kind === 'run' && parsed.options.connection.syncTokenName).toBe('store01-sync-token');
  });

  it('takes the environment variable, and says what is wrong with bad input', () => {
    const env = { CANOPY_EDGE_CONNECTION_STRING: cs, PATH: '' };
    expect(parseOptions(['--data-dir', '/tmp/x', '--registry-bin', '/bin/sh'], env).kind).toBe('run');
    expect(() => parseOptions(['--data-dir', '/tmp/x'], env)).toThrow(/docker-registry was not found on PATH/);
    expect(() => parseOptions(['--data-dir', '/tmp/x'], {})).toThrow(/--connection-string-file/);
    expect(() => parseOptions(['--connection-string', 'nonsense', '--data-dir', '/tmp/x'])).toThrow(UsageError);
    expect(() => parseOptions(['--connection-string', cs])).toThrow(/--data-dir/);
    expect(() =>
      parseOptions(['--connection-string', cs, '--data-dir', '/tmp/x', '--registry-bin', '/bin/sh', '--listen', 'nowhere']),
    ).toThrow(/host:port/);
    expect(() => parseOptions(['--connection-string', cs, '--data-dir', '/tmp/x', '--tls-cert', 'a.pem'])).toThrow(/--tls-key/);
    expect(() => parseOptions(['--bogus'])).toThrow(UsageError);
  });
});

// Canopy's real server (scripts/start.ts and a production build), started by this test on a port
// of its own: long polls abandoned by their clients stop costing the database anything.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../lib/free-port';
import { apiClient, startCanopy, type RunningCanopy } from '../scripts/bench/server';
import { unique } from './helpers';

const pgServer = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** A database of its own on the PostgreSQL server, or (without one) an embedded database's folder. */
async function ownDatabase(): Promise<{ env: Record<string, string>; url?: string; drop: () => Promise<void> }> {
  if (!pgServer) {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-lifecycle-'));
    return { env: { CANOPY_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `canopy_lifecycle_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: pgServer });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgServer);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgServer });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A connected registry, activated, with its sync token's credentials. */
async function activatedRegistry(canopy: RunningCanopy) {
  const api = await apiClient(canopy.url);
  const cloud = unique('life').slice(0, 30);
  await api('POST', '/api/v1/registries', { name: cloud, loginServer: `${cloud}.azurecr.io`, region: 'westus2' });
  await api('POST', `/api/v1/registries/${cloud}/connected-registries`, {
    name: 'store01',
    mode: 'ReadWrite',
    loginServer: `${cloud}-store01.local`,
    repositories: ['apps/web'],
    clientTokens: [],
    notifications: [],
  });
  const { connectionString } = await api<{ connectionString: string }>('POST', `/api/v1/registries/${cloud}/connected-registries/store01/settings`, {
    generatePassword: 'password1',
  });
  const password = /SyncTokenPassword=([^;]+)/.exec(connectionString)![1];
  const basic = `Basic ${Buffer.from(`store01-sync-token:${password}`).toString('base64')}`;
  const headers = { authorization: basic, 'x-connected-registry-instance': 'lifecycle-box' };
  const configPath = `/gateway/v1/registries/${cloud}/connected-registries/store01/config`;
  const first = await fetch(`${canopy.url}${configPath}`, { headers });
  expect(first.status).toBe(200);
  return { api, cloud, headers, basic, configPath, etag: first.headers.get('etag')! };
}

type Outcome = { status?: number; error?: string; at: number };

function send(port: number, path: string, headers: Record<string, string>, agent: Agent, signal?: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent, signal }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, at: Date.now() }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, at: Date.now() }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message, at: Date.now() }));
    req.end();
  });
}

test.describe.configure({ mode: 'serial' });

test('long polls abandoned by their clients cost nothing when a change comes', async () => {
  test.skip(!pgServer, 'counts transactions with pg_stat_database: needs a PostgreSQL server');
  test.setTimeout(300_000);
  const db = await ownDatabase();
  const canopy = await startCanopy(await freePort(), db.env);
  try {
    const { api, cloud, headers, configPath, etag } = await activatedRegistry(canopy);
    // PostgreSQL publishes a backend's counters within about 10 s of its going idle; the work an
    // abandoned poll had started before its client left drains meanwhile
    const committed = async () => {
      await new Promise((r) => setTimeout(r, 22_000));
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const { rows } = await c.query('SELECT xact_commit::int AS n FROM pg_stat_database WHERE datname = current_database()');
      await c.end();
      return rows[0].n as number;
    };
    const change = (logLevel: string) => api('PATCH', `/api/v1/registries/${cloud}/connected-registries/store01`, { logLevel });

    // what one change costs with nobody polling
    let before = await committed();
    await change('Debug');
    const alone = (await committed()) - before;

    // 50 long polls, abandoned by their clients after a second
    const agent = new Agent({ keepAlive: false });
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const port = Number(new URL(canopy.url).port);
    const etagNow = (await fetch(`${canopy.url}${configPath}`, { headers })).headers.get('etag')!;
    expect(etagNow).not.toBe(etag);
    const polls = controllers.map((ac) => send(port, `${configPath}?wait=60`, { ...headers, 'if-none-match': etagNow }, agent, ac.signal));
    await new Promise((r) => setTimeout(r, 1000));
    for (const ac of controllers) ac.abort();
    await Promise.all(polls);

    before = await committed();
    await change('Warning');
    const withAbandoned = (await committed()) - before;
    // before the fix: every abandoned poll read the configuration again (100 to 200 more); the
    // margin is the background work of a longer window (the webhook worker's polls)
    expect(withAbandoned).toBeLessThanOrEqual(alone + 20);
  } finally {
    await canopy.stop();
    await canopy.exited;
    await db.drop();
  }
});

// Canopy's real server (scripts/start.ts and a production build), started by these tests on a port
// of their own: long polls abandoned by their clients stop costing the database anything, and a
// restart under load resets no connection.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../lib/free-port';
import { dropDatabase } from '../test/drop-database.mjs';
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
    drop: () => dropDatabase(pgServer, name),
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
  const { connectionString } = await api<{ connectionString: string }>(
    'POST',
    `/api/v1/registries/${cloud}/connected-registries/store01/settings`,
    {
      generatePassword: 'password1',
    },
  );
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

test('SIGTERM under load: long polls get 304, requests in flight finish, and a restart resets no connection', async () => {
  test.setTimeout(480_000);
  const db = await ownDatabase();
  const port = await freePort();
  let canopy = await startCanopy(port, db.env);
  try {
    const { cloud, headers, basic, configPath, etag } = await activatedRegistry(canopy);
    type Sent = Outcome & { path: string };
    const outcomes: Sent[] = [];
    let running = true;
    let termAt = Infinity;
    let restartedAt = Infinity;
    // Keep-alive connections taken in turn, as a busy client's pool is: none sits idle until the
    // server's keep-alive timeout (closing an idle connection races with the client's next request
    // in normal operation too; that is not what this test is about).
    const agent = new Agent({ keepAlive: true, maxSockets: 8, scheduling: 'fifo' });
    const paths: [string, Record<string, string>][] = [
      [`/oauth2/token?service=${cloud}.azurecr.io&scope=repository:apps/web:pull`, { authorization: basic }],
      ['/api/health', {}],
      [configPath, headers],
    ];
    // 8 clients in a loop, 10 ms between requests; a refused connection (nothing listening between
    // the two processes) is retried a moment later. Everything is recorded.
    const loops = Array.from({ length: 8 }, async (_, i) => {
      const [path, h] = paths[i % paths.length];
      while (running) {
        const o = await send(port, path, h, agent);
        outcomes.push({ ...o, path });
        await new Promise((r) => setTimeout(r, o.error === 'ECONNREFUSED' ? 100 : 10));
      }
    });
    const answered = (after: number) => new Set(outcomes.filter((o) => o.status === 200 && o.at > after).map((o) => o.path)).size;
    await expect.poll(() => answered(0), { timeout: 120_000 }).toBe(paths.length);

    // 6 long polls, each on a connection of its own that has already carried a request, so that
    // the server holds the connection when the poll is sent
    const polls = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const own = new Agent({ keepAlive: true, maxSockets: 1 });
        expect((await send(port, '/api/health', {}, own)).status).toBe(200);
        return send(port, `${configPath}?wait=60`, { ...headers, 'if-none-match': etag }, own).finally(() => own.destroy());
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));

    termAt = Date.now();
    process.kill(-canopy.pid, 'SIGTERM');
    const pollAnswers = await Promise.all(polls);
    await canopy.exited;

    // the restart: the same database, the same port, while the clients keep at it
    canopy = await startCanopy(port, db.env);
    restartedAt = Date.now();
    await expect.poll(() => answered(restartedAt), { timeout: 120_000 }).toBe(paths.length);
    running = false;
    await Promise.all(loops);
    agent.destroy();

    // answered by the draining server: a poll left to its 60 s would have been cut at the 10 s deadline
    for (const p of pollAnswers) expect(p).toMatchObject({ status: 304 });
    // requests in flight at the SIGTERM finished with their answers
    expect(outcomes.filter((o) => o.status === 200 && o.at > termAt && o.at < restartedAt).length).toBeGreaterThan(0);
    // no reset, no hang-up, no error status: only refused connections while nothing listened
    expect(outcomes.filter((o) => o.error && o.error !== 'ECONNREFUSED')).toEqual([]);
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
  } finally {
    await canopy.stop();
    await canopy.exited;
    await db.drop();
  }
});

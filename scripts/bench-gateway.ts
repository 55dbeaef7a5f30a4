// `npm run bench:gateway [-- --registries N] [--quick]`: live edges on one instance. N connected
// registries (2,000; 500 with --quick) each hold their own configuration long poll, as Canopy
// Edge does (wait=60, answered 304 and asked again, or 200 with the new configuration). Then:
//   1. a change that concerns one registry (its log level): how many polls answer (1 expected),
//      how many configurations the server built for it;
//   2. a change that concerns all of them (a client token every one accepts, disabled): how long
//      until each poll has the new configuration (target p99 < 2 s), and the builds;
// and the server's RSS before and with the polls held (growth per poll). Runs on PostgreSQL when
// DATABASE_URL is set, else on an embedded database of its own. Bounded: every poll waits at most
// 60 s, and the whole run ends within a few minutes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { v7 as newId } from 'uuid';
import { generateSecret, saltedVerifier } from '@/lib/auth/secrets';
import { startEmbeddedDatabase } from '@/lib/db/embedded';
import { recordFigure } from './bench/results';
import { apiClient, startCanopy } from './bench/server';

const { values } = parseArgs({
  options: { registries: { type: 'string' }, quick: { type: 'boolean', default: false }, port: { type: 'string', default: '3496' } },
});
const COUNT = Number(values.registries ?? (values.quick ? 500 : 2000));
const PORT = Number(values.port);
const WAIT_SECONDS = 60;
const run = Date.now().toString(36);
const CLOUD = `gw${run}`;
const ALL_TOKEN = 'gwall';

type Edge = { name: string; auth: string; etag: string; answers: { status: number; at: number }[] };
type Rebuild = { at: number; built: number; polls: number; woken: number; ms: number };

/** Runs one of the project's scripts as npm does: through scripts/register.mjs (tsx, and `server-only` a no-op). */
function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './scripts/register.mjs', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The fleet: seed:large's tree, then each sync token gets a password (the same value, each its
 * own salted verifier), every registry is active, and one client token is accepted by all.
 */
async function prepare(url: string, password: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const cloudId = (await client.query<{ id: string }>('SELECT id FROM "CloudRegistry" WHERE name = $1', [CLOUD])).rows[0].id;
    const registries = (
      await client.query<{ name: string; syncTokenId: string }>(
        'SELECT name, "syncTokenId" FROM "ConnectedRegistry" WHERE "cloudRegistryId" = $1 ORDER BY name',
        [cloudId],
      )
    ).rows;
    const tokenIds = registries.map((r) => r.syncTokenId);
    await client.query('BEGIN');
    await client.query(`UPDATE "Token" SET status = 'enabled' WHERE id = ANY($1::uuid[])`, [tokenIds]);
    await client.query(
      `INSERT INTO "TokenPassword" ("tokenId", slot, verifier, "createdAt")
       SELECT t, 'password1', v, now() FROM unnest($1::uuid[], $2::text[]) AS x(t, v)`,
      [tokenIds, tokenIds.map(() => saltedVerifier(password))],
    );
    await client.query(
      `UPDATE "ConnectedRegistry" SET "activationStatus" = 'Active', "instanceId" = 'bench-' || name WHERE "cloudRegistryId" = $1`,
      [cloudId],
    );
    const tokenId = newId();
    await client.query(
      `INSERT INTO "Token" (id, "cloudRegistryId", name, "scopeMapId", status, "createdAt", "updatedAt")
       SELECT $1, $2, $3, id, 'enabled', now(), now() FROM "ScopeMap" WHERE "cloudRegistryId" = $2 AND name = 'team1-pull'`,
      [tokenId, cloudId, ALL_TOKEN],
    );
    await client.query(
      `INSERT INTO "ConnectedRegistryClientToken" ("connectedRegistryId", "tokenId") SELECT id, $1 FROM "ConnectedRegistry" WHERE "cloudRegistryId" = $2`,
      [tokenId, cloudId],
    );
    await client.query('COMMIT');
    return registries.map((r) => r.name);
  } finally {
    await client.end();
  }
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/** The server's connections to its database, by state (pg_stat_activity), the bench's own left out. */
async function serverConnections(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (
      await client.query<{ state: string; n: number }>(
        `SELECT coalesce(state, '-') AS state, count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1`,
      )
    ).rows;
    return rows.map((r) => `${r.n} ${r.state}`).join(', ') || 'none';
  } finally {
    await client.end();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'canopy-bench-gateway-'));
  const dbEnv: Record<string, string> = dataDir ? { DATABASE_URL: '', CANOPY_DATA_DIR: dataDir } : {};
  const password = generateSecret(32);
  let names: string[];
  try {
    console.log(`seeding ${CLOUD}: ${COUNT} connected registries…`);
    await runScript(['scripts/seed-large.ts', CLOUD, '--registries', String(COUNT), '--tokens', String(COUNT), '--depth', '4'], {
      ...process.env,
      ...dbEnv,
    });
    if (dataDir) {
      // the embedded database takes one process at a time: prepared before Canopy starts on it
      const embedded = await startEmbeddedDatabase(join(dataDir, 'pgdata'));
      try {
        names = await prepare(embedded.url, password);
      } finally {
        await embedded.stop();
      }
    } else names = await prepare(process.env.DATABASE_URL!, password);
  } catch (error) {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const rebuilds: Rebuild[] = [];
  const canopy = await startCanopy(PORT, { ...dbEnv, CANOPY_LOG_CONFIG_REBUILDS: '1' }, [], (line) => {
    const m = line.match(/^gateway: (\S+) changed: (\d+) configurations built for (\d+) polls, (\d+) woken, in (\d+) ms/);
    if (m && m[1] === CLOUD) rebuilds.push({ at: performance.now(), built: +m[2], polls: +m[3], woken: +m[4], ms: +m[5] });
  });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  let stopped = false;
  try {
    const api = await apiClient(canopy.url);
    const base = new URL(canopy.url);
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; etag: string }>((resolve, reject) => {
        const req = request({ host: base.hostname, port: base.port, path, headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? '') }));
        });
        req.on('error', reject);
        req.end();
      });
    const configPath = (name: string, wait: number) =>
      `/gateway/v1/registries/${CLOUD}/connected-registries/${name}/config${wait ? `?wait=${wait}` : ''}`;
    const edges: Edge[] = names.map((name) => ({
      name,
      auth: `Basic ${Buffer.from(`${name}-sync-token:${password}`).toString('base64')}`,
      etag: '',
      answers: [],
    }));
    const headersOf = (e: Edge) => ({
      authorization: e.auth,
      'x-connected-registry-instance': `bench-${e.name}`,
      ...(e.etag ? { 'if-none-match': e.etag } : {}),
    });

    // each edge's first fetch, 32 at a time
    let next = 0;
    const firstStarted = performance.now();
    const firstCpu = cpuSeconds(canopy.pid);
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < edges.length) {
          const e = edges[next++];
          const r = await get(configPath(e.name, 0), headersOf(e));
          if (r.status !== 200) throw new Error(`${e.name}: the first configuration fetch answered ${r.status}`);
          e.etag = r.etag;
        }
      }),
    );
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    const firstCpuMs = ((cpuSeconds(canopy.pid) - firstCpu) * 1000) / COUNT;
    console.log(
      `${COUNT} first configuration fetches (32 at a time) in ${firstSeconds.toFixed(1)} s: server CPU ${firstCpuMs.toFixed(1)} ms per fetch (load average ${loadavg()[0].toFixed(1)})`,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const rssIdle = rssBytes(canopy.pid);

    // every edge polls as Canopy Edge does, until the run ends
    let errors = 0;
    const loops = edges.map(async (e) => {
      while (!stopped) {
        try {
          const r = await get(configPath(e.name, WAIT_SECONDS), headersOf(e));
          if (stopped) return;
          e.answers.push({ status: r.status, at: performance.now() });
          if (r.status === 200) e.etag = r.etag;
          else if (r.status !== 304) {
            errors += 1;
            await new Promise((res) => setTimeout(res, 1000));
          }
        } catch {
          if (stopped) return;
          errors += 1;
          await new Promise((res) => setTimeout(res, 1000));
        }
      }
    });

    // a change that concerns none of them (a new scope map) until a rebuild reports every poll held
    const heldBy = performance.now() + 45_000;
    let probe = 0;
    for (;;) {
      const before = rebuilds.length;
      // a connection reset under the load of the polls' arrival is tried again, not the end of the run
      const name = `probe${(probe += 1)}`;
      await api('POST', `/api/v1/registries/${CLOUD}/scope-maps`, { name, actions: ['repositories/probe/content/read'] }).catch(
        async (error) => {
          console.log(`probe ${name}: ${error instanceof Error ? error.message : error}; trying again`);
          await new Promise((r) => setTimeout(r, 1000));
        },
      );
      while (rebuilds.length === before && performance.now() < heldBy) await new Promise((r) => setTimeout(r, 100));
      const last = rebuilds.at(-1);
      if ((last && last.polls >= COUNT) || performance.now() >= heldBy) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const held = rebuilds.at(-1)?.polls ?? 0;
    const rssHeld = rssBytes(canopy.pid);
    // a held poll must not hold a database connection: only the pool's idle ones and LISTEN remain
    const connections = dataDir ? 'embedded (one connection)' : await serverConnections(process.env.DATABASE_URL!);
    console.log(`the server's database connections with the polls held: ${connections}`);
    console.log(
      `${held} of ${COUNT} polls held; RSS ${(rssIdle / 2 ** 20).toFixed(0)} MB before, ${(rssHeld / 2 ** 20).toFixed(0)} MB with them`,
    );

    async function change(what: string, send: () => Promise<unknown>, settleMs: number) {
      const rebuildsBefore = rebuilds.length;
      const at = performance.now();
      await send();
      await new Promise((r) => setTimeout(r, settleMs));
      const latencies = edges
        .map((e) => e.answers.find((a) => a.at >= at && a.status === 200))
        .filter((a) => a !== undefined)
        .map((a) => a.at - at)
        .sort((a, b) => a - b);
      const mine = rebuilds.slice(rebuildsBefore);
      const built = mine.reduce((n, r) => n + r.built, 0);
      const woken = mine.reduce((n, r) => n + r.woken, 0);
      const rebuildMs = mine.reduce((n, r) => n + r.ms, 0);
      console.log(
        `${what}: ${latencies.length} polls answered 200 (${woken} woken by ${mine.length} rebuild(s) of ${rebuildMs.toFixed(0)} ms, ${built} configurations built)` +
          (latencies.length
            ? `; p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, last ${latencies.at(-1)!.toFixed(0)} ms`
            : ''),
      );
      return { answered: latencies.length, built, latencies };
    }

    const one = edges[Math.floor(edges.length / 2)];
    const single = await change(
      `a change to ${one.name} alone (its log level)`,
      () => api('PATCH', `/api/v1/registries/${CLOUD}/connected-registries/${one.name}`, { logLevel: 'Debug' }),
      3000,
    );
    const all = await change(
      `a client token every registry accepts, disabled`,
      () => api('PATCH', `/api/v1/registries/${CLOUD}/tokens/${ALL_TOKEN}`, { status: 'disabled' }),
      5000,
    );
    stopped = true;

    const perPoll = held ? (rssHeld - rssIdle) / held : NaN;
    const p99 = percentile(all.latencies, 99);
    console.log(`\nGateway long polls, ${COUNT} connected registries on one instance (${dataDir ? 'embedded database' : 'PostgreSQL'})\n`);
    console.log(`polls held                         ${held} of ${COUNT}`);
    console.log(
      `RSS                                ${(rssIdle / 2 ** 20).toFixed(0)} MB before the polls, ${(rssHeld / 2 ** 20).toFixed(0)} MB with them: ${(perPoll / 1024).toFixed(1)} KB per held poll`,
    );
    console.log(`change concerning one registry     ${single.answered} poll(s) answered (target 1), ${single.built} configurations built`);
    console.log(
      `change concerning all of them      ${all.answered} of ${COUNT} answered, p99 ${p99.toFixed(0)} ms (target < 2000 ms), ${all.built} configurations built (once each: ${COUNT})`,
    );
    console.log(`database connections, polls held   ${connections}`);
    console.log(
      `first fetches                      ${firstSeconds.toFixed(1)} s for ${COUNT} (32 at a time), server CPU ${firstCpuMs.toFixed(1)} ms each`,
    );
    console.log(`poll errors                        ${errors}`);
    console.log(
      `load average                       ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    recordFigure({
      bench: 'gateway',
      name: `polls held on one instance`,
      value: held,
      unit: 'polls',
      target: `${COUNT}`,
      met: held >= COUNT,
    });
    recordFigure({
      bench: 'gateway',
      name: `change concerning all ${COUNT}: every poll answered, p99`,
      value: p99,
      unit: 'ms',
      target: '< 2000 ms',
      met: all.answered >= COUNT && p99 < 2000,
    });
    recordFigure({
      bench: 'gateway',
      name: `change concerning all: configurations built`,
      value: all.built,
      unit: 'builds',
      target: `≤ ${COUNT} (once per registry)`,
      met: all.built <= COUNT,
    });
    recordFigure({
      bench: 'gateway',
      name: 'change concerning one: polls answered',
      value: single.answered,
      unit: 'polls',
      target: '1',
      met: single.answered === 1,
    });
    recordFigure({ bench: 'gateway', name: 'RSS growth per held poll', value: perPoll / 1024, unit: 'KB', target: 'reported', met: true });
    agent.destroy();
    await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
  } finally {
    stopped = true;
    agent.destroy();
    await canopy.stop();
    await canopy.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

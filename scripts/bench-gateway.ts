// `npm run bench:gateway [-- --registries N] [--quick] [--port P] [--cpu-prof] [--heap-snapshot]`: live edges on one instance. N connected
// registries (2,000; 500 with --quick) each hold their own configuration long poll, as Canopy
// Edge does (wait=60, answered 304 and asked again, or 200 with the new configuration). Then:
//   1. a change that concerns one registry (its log level): how many polls answer (1 expected),
//      how many configurations the server built for it;
//   2. a change that concerns all of them (a client token every one accepts, disabled): how long
//      until each poll has the new configuration (target p99 < 2 s), and the builds;
// and the server's RSS before and with the polls held (growth per poll), and for each change the
// server's CPU meanwhile. `--cpu-prof`: the server runs under
// V8's profiler, and the functions that took most CPU after the change concerning all are
// printed; `--heap-snapshot`: a heap snapshot of the server with the polls held is written (its
// path printed). Runs on PostgreSQL when DATABASE_URL is set, else on an embedded database of its own.
// Bounded: every poll waits at most 60 s, and the whole run ends within a few minutes. The fleet
// and its polls: scripts/bench/polls.ts (bench:memory holds them too).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateSecret } from '@/lib/auth/secrets';
import { startEmbeddedDatabase } from '@/lib/db/embedded';
import { ALL_TOKEN, createFleet, parseRebuild, prepareFleet, seedFleet, waitUntilHeld, type Rebuild } from './bench/polls';
import { recordFigure } from './bench/results';
import { apiClient, startCanopy } from './bench/server';

const { values } = parseArgs({
  options: {
    registries: { type: 'string' },
    quick: { type: 'boolean', default: false },
    port: { type: 'string', default: '3496' },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.registries ?? (values.quick ? 500 : 2000));
const PORT = Number(values.port);
const run = Date.now().toString(36);
const CLOUD = `gw${run}`;

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

/**
 * The functions that took the most CPU (self time) in a window of a V8 CPU profile (--cpu-prof),
 * the window in CLOCK_MONOTONIC microseconds (process.hrtime, which V8's profile timestamps use).
 */
function hottest(profilePath: string, fromUs: number, toUs: number, top = 15): string[] {
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as {
    nodes: Node[];
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i];
    t += dt;
    if (t < fromUs || t > toUs) return;
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|\.next)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [
    `CPU profile, ${(total / 1000).toFixed(0)} ms sampled in the window:`,
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / Math.max(1, total)).toFixed(1).padStart(5)}%  ${k}`),
  ];
}

/**
 * A heap snapshot of the server (after a full collection: what is alive), written on SIGUSR2
 * (--heapsnapshot-signal) into `dir`: its path, once its size has stopped changing.
 */
async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let size = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    const now = file ? statSync(join(dir, file)).size : -1;
    if (file && now > 0 && now === size) return join(dir, file);
    size = now;
  }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'canopy-bench-gateway-'));
  const dbEnv: Record<string, string> = dataDir ? { DATABASE_URL: '', CANOPY_DATA_DIR: dataDir } : {};
  const profileDir = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'canopy-bench-gateway-prof-')) : null;
  const snapshotDir = values['heap-snapshot'] ? mkdtempSync(join(tmpdir(), 'canopy-bench-gateway-heap-')) : null;
  const password = generateSecret(32);
  let names: string[];
  try {
    console.log(`seeding ${CLOUD}: ${COUNT} connected registries…`);
    await seedFleet(CLOUD, COUNT, { ...process.env, ...dbEnv });
    if (dataDir) {
      // the embedded database takes one process at a time: prepared before Canopy starts on it
      const embedded = await startEmbeddedDatabase(join(dataDir, 'pgdata'));
      try {
        names = await prepareFleet(embedded.url, CLOUD, password);
      } finally {
        await embedded.stop();
      }
    } else names = await prepareFleet(process.env.DATABASE_URL!, CLOUD, password);
  } catch (error) {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const rebuilds: Rebuild[] = [];
  const canopy = await startCanopy(
    PORT,
    { ...dbEnv, CANOPY_LOG_CONFIG_REBUILDS: '1' },
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
    ],
    (line) => {
      const rebuild = parseRebuild(line);
      if (rebuild?.cloud !== CLOUD) return;
      rebuilds.push(rebuild);
      console.log(
        `  rebuild: ${rebuild.built} configurations built for ${rebuild.polls} polls, ${rebuild.woken} woken, in ${rebuild.ms} ms`,
      );
    },
  );
  const fleet = createFleet(canopy.url, CLOUD, names, password);
  const { edges } = fleet;
  let profileWindow: [number, number] | undefined;
  try {
    const api = await apiClient(canopy.url);

    // each edge's first fetch, 32 at a time
    const firstStarted = performance.now();
    const firstCpu = cpuSeconds(canopy.pid);
    await fleet.fetchFirst(32);
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    const firstCpuMs = ((cpuSeconds(canopy.pid) - firstCpu) * 1000) / COUNT;
    console.log(
      `${COUNT} first configuration fetches (32 at a time) in ${firstSeconds.toFixed(1)} s: server CPU ${firstCpuMs.toFixed(1)} ms per fetch (load average ${loadavg()[0].toFixed(1)})`,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const rssIdle = rssBytes(canopy.pid);
    if (snapshotDir) console.log(`heap snapshot before the polls: ${await heapSnapshot(canopy.pid, snapshotDir)}`);

    // every edge polls as Canopy Edge does, until the run ends; a change that concerns none of
    // them (a new scope map) until a rebuild reports every poll held
    fleet.poll();
    const held = await waitUntilHeld(api, CLOUD, COUNT, rebuilds);
    const rssHeld = rssBytes(canopy.pid);
    // a held poll must not hold a database connection: only the pool's idle ones and LISTEN remain
    const connections = dataDir ? 'embedded (one connection)' : await serverConnections(process.env.DATABASE_URL!);
    console.log(`the server's database connections with the polls held: ${connections}`);
    console.log(
      `${held} of ${COUNT} polls held; RSS ${(rssIdle / 2 ** 20).toFixed(0)} MB before, ${(rssHeld / 2 ** 20).toFixed(0)} MB with them`,
    );
    if (snapshotDir) console.log(`heap snapshot with the polls held: ${await heapSnapshot(canopy.pid, snapshotDir)}`);

    async function change(what: string, send: () => Promise<unknown>, settleMs: number) {
      const rebuildsBefore = rebuilds.length;
      const cpuBefore = cpuSeconds(canopy.pid);
      const fromUs = monotonicUs();
      const at = performance.now();
      await send();
      await new Promise((r) => setTimeout(r, settleMs));
      const window: [number, number] = [fromUs, monotonicUs()];
      const cpuMs = (cpuSeconds(canopy.pid) - cpuBefore) * 1000;
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
          (mine.length ? `; the rebuild ended ${(mine.at(-1)!.at - at).toFixed(0)} ms after the change was sent` : '') +
          (latencies.length
            ? `; p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, last ${latencies.at(-1)!.toFixed(0)} ms`
            : '') +
          `; server CPU ${cpuMs.toFixed(0)} ms in the ${((window[1] - window[0]) / 1e6).toFixed(1)} s after it (load average ${loadavg()[0].toFixed(1)})`,
      );
      return { answered: latencies.length, built, latencies, window, cpuMs };
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
    profileWindow = all.window;

    const perPoll = held ? (rssHeld - rssIdle) / held : NaN;
    const p99 = percentile(all.latencies, 99);
    console.log(`\nGateway long polls, ${COUNT} connected registries on one instance (${dataDir ? 'embedded database' : 'PostgreSQL'})\n`);
    console.log(`polls held                         ${held} of ${COUNT}`);
    console.log(
      `RSS                                ${(rssIdle / 2 ** 20).toFixed(0)} MB before the polls, ${(rssHeld / 2 ** 20).toFixed(0)} MB with them: ${(perPoll / 1024).toFixed(1)} KB per held poll`,
    );
    console.log(
      `change concerning one registry     ${single.answered} poll(s) answered (target 1), ${single.built} configuration(s) built (target 1)`,
    );
    console.log(
      `change concerning all of them      ${all.answered} of ${COUNT} answered, p99 ${p99.toFixed(0)} ms (target < 2000 ms), ${all.built} configurations built (once each: ${COUNT}), server CPU ${all.cpuMs.toFixed(0)} ms`,
    );
    console.log(`database connections, polls held   ${connections}`);
    console.log(
      `first fetches                      ${firstSeconds.toFixed(1)} s for ${COUNT} (32 at a time), server CPU ${firstCpuMs.toFixed(1)} ms each`,
    );
    console.log(`poll errors                        ${fleet.errors()} (${fleet.errorKinds()})`);
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
    recordFigure({
      bench: 'gateway',
      name: 'change concerning one: configurations built',
      value: single.built,
      unit: 'builds',
      target: '1',
      met: single.built === 1,
    });
    recordFigure({ bench: 'gateway', name: 'RSS growth per held poll', value: perPoll / 1024, unit: 'KB', target: 'reported', met: true });
  } finally {
    await fleet.stop();
    if (profileDir) {
      // the profile is written as the server exits: more time than stop()'s grace before SIGKILL
      process.kill(canopy.pid, 'SIGTERM');
      await Promise.race([canopy.exited, new Promise((r) => setTimeout(r, 120_000))]);
    }
    await canopy.stop();
    await canopy.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  if (profileDir) {
    // written by the server as it exits
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file && profileWindow) {
      console.log(`\nthe change concerning all, ${join(profileDir, file)}:`);
      for (const line of hottest(join(profileDir, file), ...profileWindow)) console.log(line);
    } else console.log(`no CPU profile in ${profileDir}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

// `npm run bench:token`: drives GET /oauth2/token on loopback from 32 concurrent clients and
// compares Canopy's token endpoint with two bare Node HTTP servers that only sign the same ES256
// JWT per request (the floors: Canopy's header with its certificate, claims of the same sizes, an
// answer of the same length): one with jose (as Canopy did), one with node:crypto's synchronous
// signer. The load generator shares the machine's cores with the servers, so
// throughput flatters both sides alike; CPU time per grant (the server process's CPU over the
// grants it answered) does not.
// Every side runs in each of several rounds, back to back, in an order that changes from round to
// round: the machine's drift and other work hit all sides alike, and each ratio is taken within
// one round (Canopy against the floor measured just before or after it); the figures are the
// median of the rounds' ratios, with their spread.
//   --db embedded|postgres|both   which database Canopy runs on (default: both when
//                                 DATABASE_URL names a PostgreSQL server, else embedded)
//   --quick                       4 rounds of 1,000 grants per side (default: 10 rounds of 2,000)
//   --rounds <n>                  the number of rounds (BENCH_REQUESTS, default 20,000 per side in
//                                 all, is shared among them)
//   --cpu-prof <dir>              write each Canopy server's V8 CPU profile there (open it in
//                                 Chrome's DevTools) and print the functions with most self time
//   --pin                         every server on the first core (taskset), the load generator (this
//                                 process) on the second: each side measured in the same placement,
//                                 not wherever the scheduler put it that round
//   --variant=<options>           a second Canopy per database, started with these node options and
//                                 NAME=value environment variables added to npm start's (e.g.
//                                 --variant="--max-semi-space-size=32 MALLOC_TOP_PAD_=1048576"),
//                                 measured in the same rounds: its per-round ratios to Canopy as
//                                 npm start runs it are printed (and recorded nowhere)
// The grant is the real one: a token with a scope map and a password that expires, accepted by a
// connected registry, its password checked on every request, every check of the endpoint made;
// the bench checks the grant's scope and that the slot's last use was recorded before it measures.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { freePort } from '@/lib/free-port';
import { drive, type Figures } from './bench/drive';
import { recordFigure } from './bench/results';
import { apiClient, startCanopy, type RunningCanopy } from './bench/server';

const CONNECTIONS = 32;
const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'cpu-prof': { type: 'string' },
    quick: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    variant: { type: 'string' },
  },
});
const quick = values.quick;
const ROUNDS = Number(values.rounds ?? (quick ? 4 : 10));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? (quick ? 4000 : 20000));
const PER_ROUND = Math.ceil(REQUESTS / ROUNDS);
const WARM_UP = quick ? 1500 : 3000;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds is a whole number of at least 1');
const profileDir = values['cpu-prof'];
const variantWords = values.variant?.split(/\s+/).filter(Boolean) ?? [];
const isAssignment = (word: string) => /^[A-Z_][A-Z0-9_]*=/.test(word);
/** --variant's node options and environment variables; null without --variant */
const variant = variantWords.length
  ? {
      nodeArgs: variantWords.filter((w) => !isAssignment(w)),
      env: Object.fromEntries(variantWords.filter(isAssignment).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)])),
    }
  : null;
type Variant = NonNullable<typeof variant>;
const VARIANT_MARK = ' + variant';

/** Binds a process and every thread it has (new ones inherit it) to the given CPUs. */
function pin(pid: number, cpus: string) {
  const done = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  if (done.status !== 0) throw new Error(`--pin: taskset could not bind process ${pid} to CPU ${cpus}`);
}
const databases =
  (values.db ?? (process.env.DATABASE_URL ? 'both' : 'embedded')) === 'both' ? ['postgres', 'embedded'] : [values.db ?? 'embedded'];
if (databases.some((d) => d !== 'embedded' && d !== 'postgres')) throw new Error('--db is embedded, postgres or both');
if (databases.includes('postgres') && !process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL');

type Measured = Required<Figures>;
type Side = { name: string; url: string; headers: Record<string, string>; pid: number; rounds: Measured[] };

/** Starts Canopy on `database`, makes a registry, a scope map, a client token and a connected registry that accepts it. */
async function startCanopySide(
  database: string,
  postgresUrl: string | undefined,
  /** --variant's options, for its Canopy */
  variant?: Variant,
): Promise<{ side: Side; canopy: RunningCanopy; dataDir: string | null; jwt: BareJwt }> {
  const dataDir = database === 'embedded' ? mkdtempSync(join(tmpdir(), 'canopy-bench-token-')) : null;
  const env: Record<string, string> = {
    ...variant?.env,
    ...(dataDir ? { DATABASE_URL: '', CANOPY_DATA_DIR: dataDir } : { DATABASE_URL: postgresUrl! }),
  };
  const name = `${database}${variant ? VARIANT_MARK : ''}`;
  const canopy = await startCanopy(await freePort(), env, [
    ...(variant?.nodeArgs ?? []),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${name}`] : []),
  ]).catch((error: unknown) => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  try {
    const api = await apiClient(canopy.url);
    // unique names, so that the bench also runs against a database it ran on before
    const run = Date.now().toString(36);
    const registry = `bench${run}`;
    const service = `edge-${run}.bench.local`;
    await api('POST', '/api/v1/registries', { name: registry, loginServer: `${registry}.azurecr.io`, region: 'westus2' });
    await api('POST', `/api/v1/registries/${registry}/scope-maps`, {
      name: 'apps-pull',
      actions: ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'],
    });
    // a password that expires: the expiry is compared on every grant, as in most fleets
    const token = await api<{ passwords: { name: string; value: string }[] }>('POST', `/api/v1/registries/${registry}/tokens`, {
      name: 'bench-client',
      scopeMap: 'apps-pull',
      expiresInDays: 30,
    });
    await api('POST', `/api/v1/registries/${registry}/connected-registries`, {
      name: `edge${run}`,
      loginServer: service,
      repositories: ['apps/web'],
      clientTokens: ['bench-client'],
    });
    const headers = { authorization: `Basic ${Buffer.from(`bench-client:${token.passwords[0].value}`).toString('base64')}` };
    // The measured request asks, as `docker push` does, for push and pull on one repository: the
    // scope map allows pull alone, so every grant is cut down to it. A request for several scopes
    // (another repository the scope map does not cover) is checked the same way first.
    const url = `${canopy.url}/oauth2/token?service=${service}&scope=repository:apps/web:pull,push`;
    const expected = JSON.stringify([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
    let jwt: BareJwt | undefined;
    for (const asked of [url, `${url}&scope=repository:other/repo:pull`]) {
      const check = await fetch(asked, { headers });
      if (check.status !== 200) throw new Error(`token endpoint answered ${check.status}: ${await check.text()}`);
      const granted = ((await check.json()) as { token: string }).token;
      const claims = decodeJwt(granted);
      const access = JSON.stringify(claims.access);
      if (access !== expected) throw new Error(`${asked} was granted ${access}, not what the scope map allows`);
      jwt ??= { header: decodeProtectedHeader(granted), names: { iss: claims.iss, sub: claims.sub, aud: claims.aud } };
    }
    await lastUseRecorded(api, registry, token.passwords[0].name);
    return { side: { name: `Canopy, ${name}`, url, headers, pid: canopy.pid, rounds: [] }, canopy, dataDir, jwt: jwt! };
  } catch (error) {
    await canopy.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The bookkeeping runs: the slot used is given a last-used time (written in the background, once a minute at most). */
async function lastUseRecorded(api: Awaited<ReturnType<typeof apiClient>>, registry: string, slot: string) {
  const until = Date.now() + 10_000;
  for (;;) {
    const token = await api<{ passwords: { name: string; lastUsedAt: string | null }[] }>(
      'GET',
      `/api/v1/registries/${registry}/tokens/bench-client`,
    );
    if (token.passwords.find((p) => p.name === slot)?.lastUsedAt) return;
    if (Date.now() > until) throw new Error(`the grant did not record ${slot}'s last use within 10 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What a Canopy grant's JWT holds besides its access, for the floors to sign the same JWT. */
type BareJwt = { header: object; names: { iss: unknown; sub: unknown; aud: unknown } };

async function startBare(signer: 'jose' | 'node', jwt: BareJwt): Promise<{ side: Side; process: ChildProcess }> {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    SIGNER: signer,
    JWT_HEADER: JSON.stringify(jwt.header),
    JWT_NAMES: JSON.stringify(jwt.names),
  };
  const bare = fork('scripts/bench/bare-jwt-server.mjs', { env });
  await new Promise((resolve, reject) => {
    bare.once('message', resolve);
    bare.once('exit', (code) => reject(new Error(`the bare ${signer} signer exited (${code})`)));
  });
  const headers = { authorization: `Basic ${Buffer.from('bench-client:x').toString('base64')}` };
  const name = signer === 'node' ? 'bare signer, node:crypto' : 'bare signer, jose';
  return { side: { name, url: `http://127.0.0.1:${port}/oauth2/token`, headers, pid: bare.pid!, rounds: [] }, process: bare };
}

type Profile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** The functions with most self time in the profiles a server wrote, over its measured runs alone. */
function printProfile(dir: string, windows: [number, number][]) {
  // a server that did not end within its grace time was killed before it could write its profile
  if (!existsSync(dir)) return console.log(`\n${dir}: no profile was written (the server did not stop in time)`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    let at = profile.startTime;
    for (const [i, id] of profile.samples.entries()) {
      at += profile.timeDeltas[i];
      if (!windows.some(([from, to]) => at >= from && at <= to)) continue;
      const frame = nodes.get(id)!.callFrame;
      const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|\.next|lib|scripts)\//, '$1/')}:${frame.lineNumber + 1}`;
      self.set(where, (self.get(where) ?? 0) + 1);
      total += 1;
    }
    if (!total) continue;
    console.log(`\n${join(dir, file)}, the measured runs: the 30 functions with most self time (share of ${total} samples)`);
    for (const [where, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      console.log(`  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${where}`);
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `median (min–max)` of per-round values. */
function spread(values: number[], digits: number): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

/** Round `i`'s order: the sides rotated by `i`, reversed in odd rounds, so no side always follows the same one. */
function roundOrder<T>(sides: T[], i: number): T[] {
  const rotated = [...sides.slice(i % sides.length), ...sides.slice(0, i % sides.length)];
  return i % 2 ? rotated.reverse() : rotated;
}

/**
 * Runs `sql` on the PostgreSQL server DATABASE_URL names (in its database: CREATE and DROP
 * DATABASE cannot run in the one they name).
 */
async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  const started: { canopy: RunningCanopy; dataDir: string | null; database: string }[] = [];
  const bares: ChildProcess[] = [];
  const canopySides: Side[] = [];
  // On PostgreSQL, Canopy gets a database of its own, new and empty as the embedded one is: what
  // other programs (or a seeded fleet's background detectors) do in a shared database would be
  // counted in the grants' CPU time.
  let benchDatabase: string | undefined;
  let postgresUrl: string | undefined;
  let jwt: BareJwt | undefined;
  try {
    if (databases.includes('postgres')) {
      benchDatabase = `canopy_bench_token_${randomBytes(4).toString('hex')}`;
      await onServer(`CREATE DATABASE ${benchDatabase}`);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${benchDatabase}`;
      postgresUrl = url.toString();
    }
    for (const database of databases) {
      const { side, canopy, dataDir, jwt: granted } = await startCanopySide(database, postgresUrl);
      started.push({ canopy, dataDir, database });
      canopySides.push(side);
      jwt ??= granted;
      if (variant) {
        const other = await startCanopySide(database, postgresUrl, variant);
        started.push({ canopy: other.canopy, dataDir: other.dataDir, database: `${database}${VARIANT_MARK}` });
        canopySides.push(other.side);
      }
    }
    // the floors sign the JWT Canopy signs: its header (its certificate included) and names
    const node = await startBare('node', jwt!);
    bares.push(node.process);
    const jose = await startBare('jose', jwt!);
    bares.push(jose.process);
    const sides = [...canopySides, node.side, jose.side];
    if (values.pin) {
      for (const side of sides) pin(side.pid, '0');
      pin(process.pid, '1');
    }

    const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `\nGET /oauth2/token from ${CONNECTIONS} concurrent clients on loopback: ${ROUNDS} rounds of ${PER_ROUND} requests per side, ` +
        `each side once per round in a changing order${values.pin ? ', the servers on CPU 0, the load generator on CPU 1' : ''} (load average at the start: ${load()})`,
    );
    // every side warmed up first (the JIT, the caches), so that the first round finds each in its steady state
    for (const side of sides) await drive(side.url, side.headers, { requests: WARM_UP, connections: CONNECTIONS });
    for (let i = 0; i < ROUNDS; i++) {
      const order = roundOrder(sides, i);
      for (const side of order)
        side.rounds.push(
          (await drive(side.url, side.headers, { requests: PER_ROUND, connections: CONNECTIONS, serverPid: side.pid })) as Measured,
        );
      const cells = sides.map(
        (s) =>
          `${s.name.replace('bare signer, ', '')} ${s.rounds[i].cpuPerGrantUs.toFixed(0)} µs ${s.rounds[i].rps.toFixed(0)}/s p99 ${s.rounds[i].p99}`,
      );
      console.log(
        `round ${i + 1} (${order.map((s) => s.name.replace('bare signer, ', '').replace('Canopy, ', '')).join(' → ')}; load ${load()}): ${cells.join(' | ')}`,
      );
    }

    const row = (s: Side) => {
      const m = (pick: (f: Measured) => number) => median(s.rounds.map(pick));
      const failed = s.rounds.reduce((sum, f) => sum + f.non2xx + f.errors, 0);
      return (
        `${s.name.padEnd(26)} ${m((f) => f.rps)
          .toFixed(0)
          .padStart(7)} grants/s   p50 ${String(m((f) => f.p50)).padStart(3)} ms   ` +
        `p99 ${String(m((f) => f.p99)).padStart(3)} ms (worst ${Math.max(...s.rounds.map((f) => f.p99))})   ` +
        `CPU ${m((f) => f.cpuPerGrantUs)
          .toFixed(0)
          .padStart(4)} µs/grant   failed ${failed}`
      );
    };
    console.log(`\nmedians over the ${ROUNDS} rounds:`);
    for (const s of sides) console.log(row(s));
    console.log(`load average at the end: ${load()}\n`);

    for (const canopy of canopySides) {
      const database = canopy.name.replace('Canopy, ', '');
      const perRound = (floor: Side, pick: (f: Measured) => number) => canopy.rounds.map((f, i) => pick(f) / pick(floor.rounds[i]));
      const cpu = perRound(node.side, (f) => f.cpuPerGrantUs);
      const vsNode = perRound(node.side, (f) => f.rps);
      const vsJose = perRound(jose.side, (f) => f.rps);
      const p99 = canopy.rounds.map((f) => f.p99);
      const cpuVsJose = perRound(jose.side, (f) => f.cpuPerGrantUs);
      console.log(
        `${database}, per-round ratios, median (min–max) of ${ROUNDS}: CPU per grant ${spread(cpu, 2)}× the node:crypto floor's (target ≤ 1.25; ` +
          `${spread(cpuVsJose, 2)}× jose's); throughput ${spread(vsNode, 2)}× the node:crypto floor's, ${spread(vsJose, 2)}× jose's ` +
          `(target ≥ 0.80); p99 ${spread(p99, 0)} ms (target < 15 ms)`,
      );
      if (canopy.rounds.some((f) => f.non2xx || f.errors)) console.log(`warning: ${database}: some requests failed`);
      if (database.endsWith(VARIANT_MARK)) continue;
      const figure = (name: string, value: number, unit: string, target: string, met: boolean) =>
        recordFigure({ bench: 'token', name: `${database}: ${name} (median of ${ROUNDS} rounds)`, value, unit, target, met });
      figure('CPU per grant, Canopy / node:crypto floor', median(cpu), '×', '≤ 1.25', median(cpu) <= 1.25);
      figure('grants/s, Canopy / bare node:crypto signer', median(vsNode), '×', '≥ 0.80', median(vsNode) >= 0.8);
      figure('grants/s, Canopy / bare jose signer', median(vsJose), '×', '≥ 0.80', median(vsJose) >= 0.8);
      figure('token endpoint p99 (32 clients)', median(p99), 'ms', '< 15 ms', median(p99) < 15);
    }
    // --variant against npm start's Canopy on the same database, round by round
    for (const other of canopySides.filter((s) => s.name.endsWith(VARIANT_MARK))) {
      const base = canopySides.find((s) => s.name === other.name.slice(0, -VARIANT_MARK.length))!;
      // one figure's per-round ratios, variant / npm start's, printed as median (min–max)
      const ratios = (figure: 'cpuPerGrantUs' | 'rps' | 'p99', digits: number) =>
        spread(
          other.rounds.map((f, i) => f[figure] / base.rounds[i][figure]),
          digits,
        );
      const [cpu, throughput, p99] = [ratios('cpuPerGrantUs', 3), ratios('rps', 3), ratios('p99', 2)];
      console.log(
        `${other.name} (${variantWords.join(' ')}) / ${base.name}, per-round ratios, median (min–max) of ${ROUNDS}: ` +
          `CPU per grant ${cpu}×, throughput ${throughput}×, p99 ${p99}×`,
      );
    }
  } finally {
    for (const bare of bares) bare.kill();
    for (const { canopy, dataDir } of started) {
      await canopy.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
    if (benchDatabase) await onServer(`DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`).catch(() => {});
    for (const { database } of started) {
      const side = canopySides.find((s) => s.name === `Canopy, ${database}`);
      if (profileDir && side?.rounds.length)
        printProfile(
          join(profileDir, database),
          side.rounds.map((f) => f.window),
        );
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

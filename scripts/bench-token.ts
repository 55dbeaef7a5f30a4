// `npm run bench:token`: drives GET /oauth2/token on loopback with a fixed number of requests
// from 32 concurrent clients and prints grants per second, p50/p99 latency and the server
// process's CPU time per grant, next to the same figures for two bare Node HTTP servers that
// only sign an identical ES256 JWT per request (the floors): one with jose (as Canopy did), one
// with node:crypto's synchronous signer. The load generator shares the machine's cores with the
// server, so throughput flatters both sides alike; CPU time per grant does not.
//   --db embedded|postgres|both   which database Canopy runs on (default: both when
//                                 DATABASE_URL names a PostgreSQL server, else embedded)
//   --cpu-prof <dir>              write each Canopy server's V8 CPU profile there (open it in
//                                 Chrome's DevTools) and print the functions with most self time
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drive as driveWith, type Figures } from './bench/drive';
import { recordFigure } from './bench/results';
import { apiClient, startCanopy } from './bench/server';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const CONNECTIONS = 32;
const { values } = parseArgs({ options: { db: { type: 'string' }, 'cpu-prof': { type: 'string' } } });
const profileDir = values['cpu-prof'];
const databases =
  (values.db ?? (process.env.DATABASE_URL ? 'both' : 'embedded')) === 'both' ? ['embedded', 'postgres'] : [values.db ?? 'embedded'];
if (databases.some((d) => d !== 'embedded' && d !== 'postgres')) throw new Error('--db is embedded, postgres or both');
if (databases.includes('postgres') && !process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL');

const drive = (url: string, headers: Record<string, string>, serverPid: number) =>
  driveWith(url, headers, { requests: REQUESTS, connections: CONNECTIONS, serverPid }) as Promise<Required<Figures>>;

async function benchCanopy(database: string, port: number): Promise<Required<Figures>> {
  const dataDir = database === 'embedded' ? mkdtempSync(join(tmpdir(), 'canopy-bench-token-')) : null;
  const embedded: Record<string, string> = dataDir ? { DATABASE_URL: '', CANOPY_DATA_DIR: dataDir } : {};
  let figures: Required<Figures> | undefined;
  const canopy = await startCanopy(port, embedded, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${database}`] : []);
  try {
    const api = await apiClient(canopy.url);
    // unique names, so that the bench also runs against a database it ran on before
    const run = Date.now().toString(36);
    const service = `edge-${run}.bench.local`;
    await api('POST', '/api/v1/registries', { name: `bench${run}`, loginServer: `bench${run}.azurecr.io`, region: 'westus2' });
    await api('POST', `/api/v1/registries/bench${run}/scope-maps`, {
      name: 'apps-pull',
      actions: ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'],
    });
    const token = await api<{ passwords: { value: string }[] }>('POST', `/api/v1/registries/bench${run}/tokens`, {
      name: 'bench-client',
      scopeMap: 'apps-pull',
    });
    await api('POST', `/api/v1/registries/bench${run}/connected-registries`, {
      name: `edge${run}`,
      loginServer: service,
      repositories: ['apps/web'],
      clientTokens: ['bench-client'],
    });
    const auth = { authorization: `Basic ${Buffer.from(`bench-client:${token.passwords[0].value}`).toString('base64')}` };
    const path = `/oauth2/token?service=${service}&scope=repository:apps/web:pull`;
    const check = await fetch(`${canopy.url}${path}`, { headers: auth });
    if (check.status !== 200) throw new Error(`token endpoint answered ${check.status}: ${await check.text()}`);
    figures = await drive(`${canopy.url}${path}`, auth, canopy.pid);
    return figures;
  } finally {
    await canopy.stop();
    await canopy.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (profileDir && figures) printProfile(join(profileDir, database), figures.window);
  }
}

type Profile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** The functions with most self time in the profiles a server wrote, over the measured run alone. */
function printProfile(dir: string, [from, to]: [number, number]) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    let at = profile.startTime;
    for (const [i, id] of profile.samples.entries()) {
      at += profile.timeDeltas[i];
      if (at < from || at > to) continue;
      const frame = nodes.get(id)!.callFrame;
      const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|\.next|lib|scripts)\//, '$1/')}:${frame.lineNumber + 1}`;
      self.set(where, (self.get(where) ?? 0) + 1);
      total += 1;
    }
    if (!total) continue;
    console.log(`\n${join(dir, file)}, the measured run: the 30 functions with most self time (share of ${total} samples)`);
    for (const [where, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      console.log(`  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${where}`);
    }
  }
}

async function benchBare(signer: 'jose' | 'node', port: number): Promise<Required<Figures>> {
  const bare = fork('scripts/bench/bare-jwt-server.mjs', { env: { ...process.env, PORT: String(port), SIGNER: signer } });
  try {
    await new Promise((r) => bare.once('message', r));
    const auth = { authorization: `Basic ${Buffer.from('bench-client:x').toString('base64')}` };
    return await drive(`http://127.0.0.1:${port}/oauth2/token`, auth, bare.pid!);
  } finally {
    bare.kill();
  }
}

async function main() {
  const rows: [string, Required<Figures>][] = [];
  for (const [i, database] of databases.entries()) rows.push([`Canopy, ${database} database`, await benchCanopy(database, 3491 + i)]);
  // the floors right after, on the machine as it is now
  const nodeFloor = await benchBare('node', 3494);
  const joseFloor = await benchBare('jose', 3495);
  rows.push(['bare signer, node:crypto', nodeFloor], ['bare signer, jose', joseFloor]);

  const row = (name: string, f: Required<Figures>) =>
    `${name.padEnd(28)} ${f.rps.toFixed(0).padStart(7)} grants/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   ` +
    `CPU ${f.cpuPerGrantUs.toFixed(0).padStart(4)} µs/grant   non-2xx ${f.non2xx}   errors ${f.errors}`;
  console.log(`\nGET /oauth2/token, ${REQUESTS} requests from ${CONNECTIONS} concurrent clients on loopback\n`);
  for (const [name, f] of rows) console.log(row(name, f));
  console.log('');
  for (const [name, f] of rows.slice(0, databases.length)) {
    const database = name.replace('Canopy, ', '');
    const vsNode = f.rps / nodeFloor.rps;
    const vsJose = f.rps / joseFloor.rps;
    const cpu = f.cpuPerGrantUs / nodeFloor.cpuPerGrantUs;
    console.log(
      `${database}: throughput ${vsNode.toFixed(2)}× the node:crypto floor, ${vsJose.toFixed(2)}× the jose floor (target ≥ 0.80); ` +
        `CPU per grant ${cpu.toFixed(2)}× the node:crypto floor's (target ≤ 1.25); p99 ${f.p99} ms (target < 15 ms)`,
    );
    recordFigure({
      bench: 'token',
      name: `${database}: grants/s, Canopy / bare node:crypto signer`,
      value: vsNode,
      unit: '×',
      target: '≥ 0.80',
      met: vsNode >= 0.8,
    });
    recordFigure({
      bench: 'token',
      name: `${database}: grants/s, Canopy / bare jose signer`,
      value: vsJose,
      unit: '×',
      target: '≥ 0.80',
      met: vsJose >= 0.8,
    });
    recordFigure({
      bench: 'token',
      name: `${database}: CPU per grant, Canopy / node:crypto floor`,
      value: cpu,
      unit: '×',
      target: '≤ 1.25',
      met: cpu <= 1.25,
    });
    recordFigure({
      bench: 'token',
      name: `${database}: token endpoint p99 (32 clients)`,
      value: f.p99,
      unit: 'ms',
      target: '< 15 ms',
      met: f.p99 < 15,
    });
    if (f.non2xx || f.errors) console.log(`warning: ${database}: some requests failed`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

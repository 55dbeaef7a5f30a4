// `npm run bench:memory [-- <registry>] [--db embedded|postgres|both] [--polls N]`: what `npm start` holds in
// memory. Runs `npm start` itself (npm, and the node process it execs), signs an admin in, loads
// the portal's pages and the REST lists (those of <registry> too when given: the fleet-scale seed
// in `npm run bench`), lets the server rest, and prints the resident memory (RSS) of the app
// process and of every process `npm start` runs (targets: ≤ 250 MB and ≤ 320 MB). On PostgreSQL
// when DATABASE_URL is set (both by default), else on the embedded database. The embedded
// database starts empty, or holds the fleet: `--seed` seeds it first (seed:large, SEED_REGISTRIES /
// SEED_TOKENS: 10,000 / 200,000 by default — about 4 minutes on the embedded database), `--data-dir <dir>`
// copies a data folder seeded before (`DATABASE_URL= CANOPY_DATA_DIR=<dir> npm run seed:large -- fleet
// --registries 10000 --tokens 200000`). On PostgreSQL it then seeds a fleet of 2,000 connected
// registries beside it (`--polls N`; 0 for none) and reads the RSS again with each registry's
// configuration long poll held, as in bench:gateway (scripts/bench/polls.ts). Asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSecret } from '@/lib/auth/secrets';
import { freePort } from '@/lib/free-port';
import { createFleet, parseRebuild, prepareFleet, seedFleet, waitUntilHeld, type Rebuild } from './bench/polls';
import { recordFigure } from './bench/results';
import { apiClient, benchAdmin, benchServerEnv, waitFor } from './bench/server';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string' },
    seed: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    polls: { type: 'string', default: '2000' },
  },
});
const POLLS = Number(values.polls);
const seeded = values.seed || Boolean(values['data-dir']);
// the seeded fleet's cloud registry (seed:large's default name)
const registry = positionals[0] ?? (seeded ? 'fleet' : undefined);
const databases =
  (values.db ?? (process.env.DATABASE_URL ? 'both' : 'embedded')) === 'both' ? ['postgres', 'embedded'] : [values.db ?? 'embedded'];
if (databases.some((d) => d !== 'embedded' && d !== 'postgres')) throw new Error('--db is embedded, postgres or both');
if (databases.includes('postgres') && !process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL');
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 15);
const APP_TARGET_MB = 250;
const ALL_TARGET_MB = 320;

type Proc = { pid: number; ppid: number; name: string; rssKb: number };

/** The process `root` and its descendants, with their resident memory, from /proc. */
function processTree(root: number): Proc[] {
  const all: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
      all.push({ pid: Number(entry), ppid: Number(field('PPid')), name: field('Name'), rssKb: parseInt(field('VmRSS'), 10) || 0 });
    } catch {
      /* gone meanwhile */
    }
  }
  const tree: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    const proc = all.find((p) => p.pid === pid);
    if (proc) tree.push(proc);
    for (const child of all) if (child.ppid === pid) queue.push(child.pid);
  }
  return tree;
}

/** Signs the bench admin in through next-auth's credentials form: the session cookie. */
async function signIn(url: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const jar = (csrf.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
    body: new URLSearchParams({ csrfToken, email: benchAdmin.email, password: benchAdmin.password, json: 'true' }),
  });
  const cookies = [...jar, ...(res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0])];
  if (!cookies.some((c) => c.includes('session-token'))) throw new Error(`sign-in failed: ${res.status}`);
  return cookies.join('; ');
}

type Reading = { app: Proc; all: Proc[] };

/** The app process (the largest node process npm start runs) and every process of the tree. */
function readRss(npmPid: number): Reading {
  const all = processTree(npmPid);
  return { app: all.filter((p) => p.name === 'node').sort((a, b) => b.rssKb - a.rssKb)[0], all };
}

/** The server with POLLS connected registries each holding its configuration long poll (a fleet seeded beside what is there). */
async function withPollsHeld(url: string, npmPid: number, api: Awaited<ReturnType<typeof apiClient>>, rebuilds: Rebuild[]) {
  const cloud = `mem${Date.now().toString(36)}`;
  const password = generateSecret(32);
  console.log(`seeding ${cloud}: ${POLLS} connected registries, for their long polls…`);
  await seedFleet(cloud, POLLS, process.env);
  const names = await prepareFleet(process.env.DATABASE_URL!, cloud, password);
  const fleet = createFleet(url, cloud, names, password);
  try {
    await fleet.fetchFirst(32);
    fleet.poll();
    const held = await waitUntilHeld(api, cloud, POLLS, rebuilds);
    // a few seconds for what the polls' arrival left to be collected
    await new Promise((r) => setTimeout(r, 5000));
    return { held, ...readRss(npmPid), errors: `${fleet.errors()}: ${fleet.errorKinds()}` };
  } finally {
    await fleet.stop();
  }
}

async function measure(database: string): Promise<Reading & { polls?: Reading & { held: number; errors: string } }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = database === 'embedded' ? mkdtempSync(join(tmpdir(), 'canopy-bench-memory-')) : null;
  if (dataDir && values['data-dir']) cpSync(values['data-dir'], dataDir, { recursive: true });
  else if (dataDir && values.seed) {
    const args = [registry!, '--registries', process.env.SEED_REGISTRIES ?? '10000', '--tokens', process.env.SEED_TOKENS ?? '200000'];
    console.log(`seeding the embedded database: seed:large ${args.join(' ')}…`);
    const seed = spawnSync(process.execPath, ['--import', './scripts/register.mjs', 'scripts/seed-large.ts', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DATABASE_URL: '', CANOPY_DATA_DIR: dataDir },
    });
    if (seed.status !== 0) throw new Error(`seed:large exited with ${seed.status ?? seed.signal}`);
  }
  // `npm start` as an operator runs it; its own process group, ended as a whole at the end
  const npm = spawn('npm', ['start'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: {
      ...benchServerEnv(port),
      ...(dataDir ? { DATABASE_URL: '', CANOPY_DATA_DIR: dataDir } : {}),
      // the rebuild log tells when the polls are all held; nothing else reads the output
      CANOPY_LOG_CONFIG_REBUILDS: '1',
    },
  });
  const rebuilds: Rebuild[] = [];
  createInterface({ input: npm.stdout! }).on('line', (line) => {
    const rebuild = parseRebuild(line);
    if (rebuild) rebuilds.push(rebuild);
  });
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  try {
    await Promise.race([waitFor(`${url}/api/health`, 240_000), exited.then(() => Promise.reject(new Error('npm start exited')))]);
    const cookie = await signIn(url);
    const api = await apiClient(url);
    const pages = ['/', '/cloud-registries', '/tokens', '/scope-maps', '/connected-registries', '/hierarchy', '/audit-log', '/settings'];
    const registries = await api<{ items?: { name: string }[] }>('GET', '/api/v1/registries');
    const name = registry ?? registries.items?.[0]?.name;
    if (name) {
      for (const list of ['connected-registries', 'tokens', 'scope-maps']) await api('GET', `/api/v1/registries/${name}/${list}`);
      pages.push(`/cloud-registries/${name}`);
    }
    for (const page of pages) {
      const res = await fetch(`${url}${page}`, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status >= 500) console.log(`warning: ${page} answered ${res.status}`);
    }
    // at rest: what stays once the requests are done (and a few seconds of collection)
    await new Promise((r) => setTimeout(r, REST_SECONDS * 1000));
    const atRest = readRss(npm.pid!);
    if (database !== 'postgres' || POLLS <= 0) return atRest;
    return { ...atRest, polls: await withPollsHeld(url, npm.pid!, api, rebuilds) };
  } finally {
    try {
      process.kill(-npm.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    await exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const mb = (kb: number) => kb / 1024;
  for (const database of databases) {
    const { app, all, polls } = await measure(database);
    const total = all.reduce((n, p) => n + p.rssKb, 0);
    const where = `${database}${registry ? `, ${registry} seeded` : ''}`;
    console.log(`\nnpm start (${where}), at rest after a sign-in, the portal's pages and the REST lists:`);
    for (const p of all) console.log(`  ${p.name.padEnd(8)} pid ${String(p.pid).padEnd(8)} RSS ${mb(p.rssKb).toFixed(0).padStart(5)} MB`);
    console.log(
      `  app process ${mb(app.rssKb).toFixed(0)} MB (target ≤ ${APP_TARGET_MB}); everything npm start runs ${mb(total).toFixed(0)} MB (target ≤ ${ALL_TARGET_MB})`,
    );
    recordFigure({
      bench: 'memory',
      name: `${where}: app process RSS at rest`,
      value: mb(app.rssKb),
      unit: 'MB',
      target: `≤ ${APP_TARGET_MB} MB`,
      met: mb(app.rssKb) <= APP_TARGET_MB,
    });
    recordFigure({
      bench: 'memory',
      name: `${where}: RSS of everything npm start runs`,
      value: mb(total),
      unit: 'MB',
      target: `≤ ${ALL_TARGET_MB} MB`,
      met: mb(total) <= ALL_TARGET_MB,
    });
    if (polls) {
      const pollsTotal = polls.all.reduce((n, p) => n + p.rssKb, 0);
      const growth = ((polls.app.rssKb - app.rssKb) / Math.max(1, polls.held)).toFixed(0);
      console.log(`\nnpm start (${where}), with ${polls.held} of ${POLLS} config long polls held (poll errors ${polls.errors}):`);
      for (const p of polls.all)
        console.log(`  ${p.name.padEnd(8)} pid ${String(p.pid).padEnd(8)} RSS ${mb(p.rssKb).toFixed(0).padStart(5)} MB`);
      console.log(
        `  app process ${mb(polls.app.rssKb).toFixed(0)} MB (${growth} KB per held poll over the rest figure); everything npm start runs ${mb(pollsTotal).toFixed(0)} MB`,
      );
      recordFigure({
        bench: 'memory',
        name: `${where}: app process RSS with ${POLLS} config long polls held`,
        value: mb(polls.app.rssKb),
        unit: 'MB',
        target: `reported (${polls.held} held)`,
        met: polls.held >= POLLS,
      });
      recordFigure({
        bench: 'memory',
        name: `${where}: RSS of everything npm start runs with ${POLLS} polls held`,
        value: mb(pollsTotal),
        unit: 'MB',
        target: 'reported',
        met: polls.held >= POLLS,
      });
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

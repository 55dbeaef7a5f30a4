// `npm run bench [-- --quick]`: runs every benchmark one after the other and prints one table of
// their figures against the targets. It asserts nothing and always exits 0 once the table is
// printed: a missed target is a figure to read, not a failure.
//
// With DATABASE_URL naming a PostgreSQL server, the run gets a database of its own there
// (canopy_bench_<random>, dropped at the end) holding the fleet-scale seed (10,000 connected
// registries, 200,000 client tokens; 2,000 and 40,000 with --quick) that the list and Hierarchy
// page benchmarks read, and the two-instance propagation run. Without it, only the benchmarks that
// run on the embedded database run. --quick shortens every run (fewer requests, changes, loads).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Figure } from './bench/results';
import { benchSteps } from './bench/steps';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const serverUrl = process.env.DATABASE_URL;
const { SEED, steps } = benchSteps(quick);
type Step = (typeof steps)[number];

function run(step: Step, env: NodeJS.ProcessEnv): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', './scripts/register.mjs', step.script, ...(step.args ?? [])], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...env, ...step.env },
    });
    child.on('exit', (code) => resolve({ code, seconds: (performance.now() - started) / 1000 }));
  });
}

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  const resultsDir = mkdtempSync(join(tmpdir(), 'canopy-bench-results-'));
  const resultsFile = join(resultsDir, 'figures.jsonl');
  const notes: string[] = [];
  let database: string | undefined;
  let benchUrl: string | undefined;
  if (serverUrl) {
    database = `canopy_bench_${randomBytes(4).toString('hex')}`;
    await onServer(`CREATE DATABASE ${database}`);
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    benchUrl = url.toString();
  } else {
    notes.push('DATABASE_URL is not set: the seed, list, Hierarchy page and two-instance benchmarks were skipped (they need PostgreSQL).');
  }
  const figures: Figure[] = [];
  try {
    for (const step of steps) {
      const label = `${step.script} ${(step.args ?? []).join(' ')}`.trim();
      if (step.needsServer && !benchUrl) continue;
      console.log(`\n━━ ${label}`);
      const env: NodeJS.ProcessEnv = { ...process.env, BENCH_RESULTS_FILE: resultsFile };
      if (benchUrl) env.DATABASE_URL = benchUrl;
      const { code, seconds } = await run(step, env);
      if (step.bench === 'seed' && code === 0) {
        figures.push({
          bench: 'seed',
          name: `npm run seed:large -- --registries ${SEED.registries} --tokens ${SEED.tokens}`,
          value: seconds,
          unit: 's',
          target: quick ? '< 60 s at 10,000 / 200,000' : '< 60 s',
          met: seconds < 60,
        });
      }
      if (code !== 0) notes.push(`${label} exited with code ${code} (see its output above).`);
    }
  } finally {
    if (database) await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    if (existsSync(resultsFile)) {
      for (const line of readFileSync(resultsFile, 'utf8').split('\n')) if (line.trim()) figures.push(JSON.parse(line) as Figure);
    }
    rmSync(resultsDir, { recursive: true, force: true });
  }
  // the seed's figure was pushed before the others were read: keep the run's order
  figures.sort((a, b) => steps.findIndex((s) => s.bench === a.bench) - steps.findIndex((s) => s.bench === b.bench));

  const format = (f: Figure) => `${f.value >= 100 || Number.isInteger(f.value) ? f.value.toFixed(0) : f.value.toFixed(2)} ${f.unit}`;
  const table = [
    ['bench', 'figure', 'measured', 'target', ''],
    ...figures.map((f) => [f.bench, f.name, format(f), f.target, f.met ? 'met' : 'MISSED']),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  console.log(
    `\n${quick ? 'npm run bench -- --quick' : 'npm run bench'}: ${figures.length} figures${quick ? ' (short runs: indicative only)' : ''}\n`,
  );
  for (const [i, row] of table.entries()) {
    console.log(
      row
        .map((c, j) => c.padEnd(widths[j]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  }
  for (const note of notes) console.log(`note: ${note}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

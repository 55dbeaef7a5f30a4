// `npm test`: lint and typecheck, the Vitest unit and integration suites, then the Playwright
// suite against a production build in Chromium. Ends with one line `N passed, N failed, N skipped`
// summed over the tests of every suite (CI reads it); lint, typecheck and the build are checks, not
// tests: they are reported on a line of their own just before it, and any that fails fails the run.
//
// Databases: with DATABASE_URL (or TEST_DATABASE_URL) naming a PostgreSQL server, every
// integration test file and the browser suite get fresh databases there; without, they use
// the embedded PGlite.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropDatabase } from '../test/drop-database.mjs';

const results = { passed: 0, failed: 0, skipped: 0 };
/** Checks that are not tests (lint, typecheck, the production build): name → passed. */
const checks = {};
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- e2e`
const wants = (step) => only.length === 0 || only.includes(step);
mkdirSync('test-results', { recursive: true });

function run(label, cmd, args, env = {}) {
  console.log(`\n── ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
  return r.status === 0;
}

function check(label, ok) {
  checks[label] = ok;
  if (!ok) console.error(`✗ ${label} failed`);
}

export function findChromium() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && existsSync(p)) return p;
  return null;
}

function ensureChromium() {
  if (findChromium()) return findChromium();
  if (process.getuid?.() === 0) {
    console.log("Chromium is missing: installing Debian's chromium package…");
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (findChromium()) return findChromium();
  }
  console.error('No Chromium found. Install it (as root: `apt-get update && apt-get install -y chromium`) or set CHROMIUM_PATH.');
  return null;
}

if (wants('lint')) {
  check('eslint', run('lint', 'npx', ['eslint', '.', '--max-warnings=0']));
  check('prettier', run('format', 'npx', ['prettier', '--check', '--log-level=warn', '.']));
  check('typecheck', run('typecheck', 'npx', ['tsc', '--noEmit']));
}

if (wants('unit')) {
  const out = 'test-results/vitest.json';
  rmSync(out, { force: true });
  run('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const v = JSON.parse(readFileSync(out, 'utf8'));
    results.passed += v.numPassedTests;
    // a file that failed to load has no failed test of its own: count it once
    const brokenFiles = (v.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    results.failed += v.numFailedTests + brokenFiles;
    results.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  } else check('vitest report', false);
}

if (wants('e2e')) {
  const chromium = ensureChromium();
  if (!chromium) check('chromium', false);
  else if (!run('production build', 'npx', ['next', 'build'], { NODE_ENV: 'production' })) check('next build', false);
  else {
    const env = { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' };
    const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    let dropDb;
    if (serverUrl) {
      const name = `canopy_e2e_${randomBytes(5).toString('hex')}`;
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      env.E2E_DATABASE_URL = url.toString();
      dropDb = () => dropDatabase(serverUrl, name);
    } else {
      env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'canopy-e2e-'));
    }
    rmSync('test-results/playwright.json', { force: true });
    run('browser tests', 'npx', ['playwright', 'test', '--reporter=list,json'], env);
    await dropDb?.();
    if (env.E2E_DATA_DIR) rmSync(env.E2E_DATA_DIR, { recursive: true, force: true });
    if (existsSync('test-results/playwright.json')) {
      const { stats } = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
      results.passed += stats.expected + stats.flaky;
      results.failed += stats.unexpected;
      results.skipped += stats.skipped;
    } else check('playwright report', false);
  }
}

const failedChecks = Object.keys(checks).filter((k) => !checks[k]);
writeFileSync('test-results/summary.json', JSON.stringify({ ...results, checks }));
if (Object.keys(checks).length) {
  console.log(
    `\nchecks: ${Object.entries(checks)
      .map(([k, ok]) => `${k} ${ok ? 'ok' : 'FAILED'}`)
      .join(', ')}`,
  );
}
console.log(`\n${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed > 0 || failedChecks.length > 0 ? 1 : 0);

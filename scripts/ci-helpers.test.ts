// .ci/run's helpers, run for real: the embedded check's server is ended by its own process group
// (never by name, which would end every Canopy on the machine), and the tests' PostgreSQL role
// may create databases and nothing more, and is dropped at the end with what it still owns.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const helpers = (script: string, ...args: string[]) =>
  run('bash', ['-c', `. .ci/helpers.sh && ${script}`, 'helpers', ...args], { timeout: 30_000 });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function processGroupOf(pid: number): Promise<number> {
  return Number((await run('ps', ['-o', 'pgid=', '-p', String(pid)])).stdout.trim());
}

describe('.ci/run', () => {
  it('ends processes by the group it started, never by name, and makes no superuser role', () => {
    const script = readFileSync('.ci/run', 'utf8');
    // no command that ends processes by name (the p-kill and kill-all families)
    expect(script).not.toMatch(new RegExp(`\\b(${['p', 'kill'].join('')}|${['kill', 'all'].join('')})\\b`));
    expect(script).not.toMatch(/SUPERUSER/);
    expect(script).toMatch(/stop_group/);
    expect(script).toMatch(/drop_test_role/);
  });

  it('stop_group ends the whole group it started (children too) and leaves another "scripts/start.ts" running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-ci-'));
    // another Canopy on the machine, by its command line: ending by name would end it too
    const other = spawn('bash', ['-c', 'exec -a "node scripts/start.ts (another Canopy)" sleep 60'], { detached: true, stdio: 'ignore' });
    try {
      const { stdout } = await helpers(
        `start_group "$1" bash -c 'sleep 60 & echo child $! ; exec -a "node scripts/start.ts" sleep 60'`,
        join(dir, 'log'),
      );
      const group = Number(stdout.trim());
      expect(group).toBeGreaterThan(1);
      await new Promise((r) => setTimeout(r, 300));
      const child = Number(/child (\d+)/.exec(readFileSync(join(dir, 'log'), 'utf8'))![1]);
      expect(await processGroupOf(child)).toBe(group);
      expect(alive(group) && alive(child)).toBe(true);

      await helpers('stop_group "$1"', String(group));
      expect(alive(group)).toBe(false);
      expect(alive(child)).toBe(false);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // runuser needs root (CI runs as root); PostgreSQL must accept the test's TCP connection
  it.skipIf(process.getuid?.() !== 0)(
    'create_test_role makes a CREATEDB-only role that can run the tests’ database life cycle; drop_test_role leaves nothing',
    async () => {
      const role = `canopy_ci_test_${randomBytes(4).toString('hex')}`;
      const password = randomBytes(12).toString('hex');
      const url = (db: string) => `postgresql://${role}:${password}@127.0.0.1:5432/${db}`;
      await helpers('create_test_role "$1" "$2"', role, password);
      try {
        const admin = new pg.Client({ connectionString: url('postgres') });
        await admin.connect();
        try {
          const { rows } = await admin.query('SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user');
          expect(rows[0]).toEqual({ rolsuper: false, rolcreatedb: true, rolcreaterole: false });
          // what test/db.ts does: a database per test file, dropped WITH (FORCE) while still in use
          await admin.query(`CREATE DATABASE ${role}_a`);
          const user = new pg.Client({ connectionString: url(`${role}_a`) });
          await user.connect();
          await user.query('CREATE TABLE t (id int PRIMARY KEY)');
          user.on('error', () => {});
          await admin.query(`DROP DATABASE ${role}_a WITH (FORCE)`);
          await user.end().catch(() => {});
          // a database a crashed run left behind
          await admin.query(`CREATE DATABASE ${role}_b`);
        } finally {
          await admin.end();
        }
      } finally {
        await helpers('drop_test_role "$1"', role);
      }
      const su = (sql: string) => run('runuser', ['-u', 'postgres', '--', 'psql', '-qXtA', '-c', sql]);
      expect((await su(`SELECT count(*) FROM pg_roles WHERE rolname = '${role}'`)).stdout.trim()).toBe('0');
      expect((await su(`SELECT count(*) FROM pg_database WHERE datname LIKE '${role}%'`)).stdout.trim()).toBe('0');
    },
  );
});

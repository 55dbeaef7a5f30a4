import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { launchDetached, startEnv, startNodeOptions } from './server';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start;

describe('the server the benchmarks start', () => {
  it('runs with the environment and the node options of `npm start`', () => {
    const env = Object.entries(startEnv()).map(([name, value]) => `${name}=${value} `);
    expect(startScript).toBe(`${env.join('')}exec node ${[...startNodeOptions(), ''].join(' ')}scripts/start.mjs`);
  });

  it('keeps glibc from holding freed memory: two malloc arenas, free memory trimmed past 128 KB (measured under bench:memory)', () => {
    expect(startEnv()).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' });
  });

  it('collects garbage on one thread, as measured under bench:token', () => {
    expect(startNodeOptions()).toContain('--single-threaded-gc');
  });

  it('passes options this node accepts', () => {
    const run = spawnSync(process.execPath, [...startNodeOptions(), '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

/** Whether `pid` runs (a zombie, exited but not yet reaped by its new parent, does not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return check();
}

// a "server" that never answers: it starts a child of its own (as start.mjs starts the
// embedded database's) and prints both pids; `ignoreTerm` makes the child shrug off SIGTERM
function neverReady(ignoreTerm: boolean, exitAfterMs?: number) {
  const grandchild = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000)`;
  return [
    '-e',
    `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'ignore' });
     console.log(process.pid + ' ' + c.pid);
     ${exitAfterMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => process.exit(3), ${exitAfterMs});`}`,
  ];
}

describe('a benchmark server that fails to start', () => {
  // nothing listens on port 9 (discard) here: the health check is refused at once
  const nowhere = 'http://127.0.0.1:9/api/health';
  // should a test fail, the processes it started are still ended (the first pid leads the group)
  const groups: number[] = [];
  afterEach(() => {
    for (const pid of groups.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* ended, as it should be */
      }
    }
  });

  async function failedStart(args: string[], timeoutMs: number, graceMs?: number) {
    const pids: number[] = [];
    const started = launchDetached(
      process.execPath,
      args,
      process.env,
      nowhere,
      timeoutMs,
      (line) => {
        pids.push(...line.split(' ').map(Number));
        groups.push(pids[0]);
      },
      graceMs,
    );
    const error = await started.then(
      () => null,
      (e: unknown) => e as Error,
    );
    return { error, pids };
  }

  it('is ended with every process it started when it does not answer in time', async () => {
    const { error, pids } = await failedStart(neverReady(false), 1500);
    expect(error?.message).toMatch(/did not answer within 1500 ms/);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await waitUntil(() => !running(pid), 5000)).toBe(true);
  });

  it('has its group ended when it exits while starting, leaving no child behind', async () => {
    const { error, pids } = await failedStart(neverReady(false, 300), 30_000);
    expect(error?.message).toMatch(/exited while starting/);
    expect(pids).toHaveLength(2);
    expect(await waitUntil(() => !running(pids[1]), 5000)).toBe(true);
  });

  it('is killed when it ignores SIGTERM past the grace time', async () => {
    const { error, pids } = await failedStart(neverReady(true), 1500, 500);
    expect(error).not.toBeNull();
    expect(await waitUntil(() => !running(pids[1]), 5000)).toBe(true);
  });
});

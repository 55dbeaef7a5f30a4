import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startNodeOptions } from './server';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start;

describe('the server the benchmarks start', () => {
  it('runs with the node options of `npm start`', () => {
    expect(startScript).toBe(`exec node ${[...startNodeOptions(), ''].join(' ')}scripts/start.mjs`);
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

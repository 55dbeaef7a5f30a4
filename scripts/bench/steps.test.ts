import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchSteps } from './steps';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const benchScripts = Object.entries(scripts)
  .filter(([name]) => name.startsWith('bench:'))
  .map(([name, command]) => [name, /scripts\/\S+\.ts/.exec(command)?.[0]] as const);

describe('npm run bench', () => {
  it('finds the bench:* scripts of package.json', () => {
    expect(benchScripts.length).toBeGreaterThanOrEqual(8);
    for (const [name, file] of benchScripts) expect(file, name).toBeTruthy();
  });

  for (const quick of [false, true]) {
    it(`runs every bench:* script${quick ? ' with --quick' : ''}`, () => {
      const run = new Set(benchSteps(quick).steps.map((s) => s.script));
      const missing = benchScripts.filter(([, file]) => !run.has(file!)).map(([name]) => name);
      expect(missing).toEqual([]);
    });
  }
});

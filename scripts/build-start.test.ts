// `npm start` runs the server script compiled (no tsx in production): the bundle holds the
// project's own code and leaves packages to node_modules.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module without types
import { buildStart } from './build-start.mjs';

const dir = mkdtempSync(join(tmpdir(), 'canopy-start-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the compiled start script', () => {
  it('bundles scripts/start.ts and lib/, imports only packages and node built-ins, and needs no TypeScript loader', async () => {
    const outfile = join(dir, 'start.mjs');
    await buildStart(outfile);
    const code = readFileSync(outfile, 'utf8');
    expect(code).toContain('// scripts/start.ts');
    expect(code).toContain('// lib/server/lifecycle.ts');
    const imported = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imported).toContain('next');
    expect(
      imported.filter((s) => s.startsWith('.') || s.startsWith('@/') || s.endsWith('.ts') || s === 'tsx' || s === 'server-only'),
    ).toEqual([]);
  }, 120_000);
});

// `npm start` builds again when a source changed after the build: which files count.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module without types
import { changedSince, NEXT_BUILD_SOURCES } from './build-freshness.mjs';

const root = mkdtempSync(join(tmpdir(), 'canopy-build-freshness-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BUILT_AT = Date.parse('2026-11-30T08:00:00Z');

/** Writes a file whose modification time is `minutes` after the build (negative: before). */
function write(path: string, minutes: number) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  const at = new Date(BUILT_AT + minutes * 60_000);
  utimesSync(file, at, at);
}

describe('changedSince', () => {
  it('answers null while every source is older than the build', () => {
    write('app/page.tsx', -5);
    write('lib/registries/queries.ts', -1);
    write('next.config.ts', -60);
    expect(changedSince(root, BUILT_AT, NEXT_BUILD_SOURCES)).toBeNull();
  });

  it('ignores tests, generated code and what is not a source of the build', () => {
    write('lib/registries/queries.test.ts', 5);
    write('lib/generated/prisma/client.ts', 5);
    write('e2e/hierarchy.spec.ts', 5);
    write('README.md', 5);
    expect(changedSince(root, BUILT_AT, NEXT_BUILD_SOURCES)).toBeNull();
  });

  it('names the newest source changed after the build', () => {
    write('components/ui/button.tsx', 2);
    write('lib/tokens/service.ts', 3);
    expect(changedSince(root, BUILT_AT, NEXT_BUILD_SOURCES)).toBe('lib/tokens/service.ts');
    write('prisma/schema.prisma', 4);
    expect(changedSince(root, BUILT_AT, NEXT_BUILD_SOURCES)).toBe('prisma/schema.prisma');
  });
});

// Whether a build is older than what it was built from: `npm start` (scripts/start.mjs) builds
// again, rather than serve code that no longer matches the sources, when a source file changed
// after the build. Sources are what people edit: test files, generated code (lib/generated is
// made from prisma/schema.prisma) and Next's own output do not count.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the Next.js production build is made from. */
export const NEXT_BUILD_SOURCES = [
  'app',
  'components',
  'lib',
  'proxy.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'prisma/schema.prisma',
];

/** What the compiled server script (.next/canopy-start.mjs) is made from. */
export const START_SCRIPT_SOURCES = ['scripts/start.ts', 'lib'];

const SKIPPED_DIRECTORIES = new Set(['generated', 'node_modules', '.next']);
const TEST_FILE = /\.test\.(ts|tsx|mjs)$/;

function* files(path) {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isFile()) {
    if (!TEST_FILE.test(path)) yield { path, mtimeMs: stat.mtimeMs };
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
    yield* files(join(path, entry.name));
  }
}

/**
 * The newest source file changed after `builtAtMs` (relative to root), or null when the build
 * is at least as new as every source.
 */
export function changedSince(root, builtAtMs, sources) {
  let newest = null;
  for (const source of sources) {
    for (const file of files(join(root, source))) {
      if (file.mtimeMs > builtAtMs && (!newest || file.mtimeMs > newest.mtimeMs)) newest = file;
    }
  }
  return newest && relative(root, newest.path);
}

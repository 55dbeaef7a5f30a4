// `npm start`: plain node runs the compiled server script (scripts/build-start.mjs), made first
// when there is none or when it is older than the Next.js production build (made first too when
// there is none). The server itself is scripts/start.ts; `npm run dev` still runs it with tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
const buildId = join(root, '.next', 'BUILD_ID');
if (!existsSync(buildId)) {
  console.log('canopy: no production build yet: running `next build` (once)…');
  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) {
    console.error('canopy: failed to start: next build failed');
    process.exit(1);
  }
}
/** The newest modification time of the server script's sources (scripts/start.ts and lib/). */
function newestSource() {
  let newest = statSync(join(root, 'scripts', 'start.ts')).mtimeMs;
  for (const entry of readdirSync(join(root, 'lib'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts'))
      newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

const bundle = join(root, '.next', 'canopy-start.mjs');
const compiledAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (compiledAt < statSync(buildId).mtimeMs || compiledAt < newestSource()) {
  // esbuild is loaded only to compile, not kept in the server's memory
  const { buildStart } = await import('./build-start.mjs');
  await buildStart(bundle);
}
await import(pathToFileURL(bundle).href);

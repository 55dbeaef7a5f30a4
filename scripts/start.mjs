// `npm start`: plain node runs the compiled server script (scripts/build-start.mjs). First the
// Next.js production build is made when there is none, or made again when a source changed
// after it (scripts/build-freshness.mjs): Canopy does not serve a build older than its sources,
// and when that build fails it refuses to start, saying so. The server script is compiled again
// when it is older than the build or than its own sources. The server itself is
// scripts/start.ts; `npm run dev` still runs it with tsx.
//
// package.json runs it with `--single-threaded-gc`: V8's parallel and concurrent collector threads
// compete for the same two cores as the requests, and under load they cost more CPU time than
// they save in pauses (bench:token, README's Benchmarks).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { changedSince, NEXT_BUILD_SOURCES, START_SCRIPT_SOURCES } from './build-freshness.mjs';

const root = process.cwd();
const buildId = join(root, '.next', 'BUILD_ID');

/** Runs `next build`, or ends the process saying why there is nothing to serve. */
function nextBuild(reason, refusal) {
  console.log(`canopy: ${reason}: running \`next build\`…`);
  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (build.status !== 0) {
    console.error(`canopy: failed to start: next build failed${refusal}`);
    process.exit(1);
  }
}

if (!existsSync(buildId)) nextBuild('no production build yet', '');
else {
  const changed = changedSince(root, statSync(buildId).mtimeMs, NEXT_BUILD_SOURCES);
  if (changed)
    nextBuild(
      `${changed} changed after the production build was made`,
      '. The last build is older than the sources, and Canopy does not serve it: fix the build (`npm run build` shows the errors), then start again.',
    );
}

const bundle = join(root, '.next', 'canopy-start.mjs');
const compiledAt = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (compiledAt < statSync(buildId).mtimeMs || changedSince(root, compiledAt, START_SCRIPT_SOURCES)) {
  // esbuild is loaded only to compile, not kept in the server's memory
  const { buildStart } = await import('./build-start.mjs');
  await buildStart(bundle);
}
await import(pathToFileURL(bundle).href);

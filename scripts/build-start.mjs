// The production server script, compiled: scripts/start.ts and the lib/ code it uses bundled
// into .next/canopy-start.mjs (packages stay imports from node_modules), so that `npm start`
// runs plain `node` — no tsx process and no esbuild service beside the app. `npm run build`
// makes it after `next build`; scripts/start.mjs makes it when it is missing or older than the
// Next.js build.
import { build, stop } from 'esbuild';

export const START_BUNDLE = '.next/canopy-start.mjs';

export async function buildStart(outfile = START_BUNDLE) {
  await build({
    entryPoints: ['scripts/start.ts'],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module still call require()
    banner: {
      js: "import { createRequire as __canopyCreateRequire } from 'node:module';\nconst require = __canopyCreateRequire(import.meta.url);",
    },
    plugins: [
      {
        // the marker that keeps server modules out of client bundles: this is the server
        name: 'server-only',
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
          b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
        },
      },
    ],
  });
  // esbuild's service process would otherwise stay beside the server for good
  await stop();
}

if (import.meta.url === `file://${process.argv[1]}`) await buildStart();

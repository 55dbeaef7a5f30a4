// `npm run build:edge`: Canopy Edge as one self-contained file, dist/canopy-edge.mjs — its
// dependencies bundled, nothing of Next.js or Prisma — that runs with plain `node` ≥ 20 next to
// the registry binary. Fails if anything from the app's server side found its way in.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

// --outfile <path>: elsewhere than dist/ (the tests build into a temporary folder)
const outfile = parseArgs({ options: { outfile: { type: 'string' } } }).values.outfile ?? 'dist/canopy-edge.mjs';

const FORBIDDEN = /node_modules\/(next|@prisma|prisma|pg|next-auth|react|react-dom)\/|lib\/(db|generated)\//;

mkdirSync(dirname(outfile), { recursive: true });
const result = await build({
  entryPoints: ['edge/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // `server-only` marks the app's data modules (lib/server-only.test.ts): the edge imports none
  // of them, so one that slips in fails the build, naming the module that brought it in
  plugins: [
    {
      name: 'server-only',
      setup(b) {
        b.onResolve({ filter: /^server-only$/ }, (args) => ({
          errors: [{ text: `the edge must not import a data module of the app: ${args.importer} is marked server-only` }],
        }));
      },
    },
  ],
  // CommonJS dependencies inside an ES module still call require()
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __canopyCreateRequire } from 'node:module';\nconst require = __canopyCreateRequire(import.meta.url);",
  },
}).catch(() => {
  // esbuild has printed each error with the module that caused it
  process.exit(1);
});
const inputs = Object.keys(result.metafile.inputs);
const forbidden = inputs.filter((i) => FORBIDDEN.test(i));
if (forbidden.length) {
  console.error(`build:edge: the bundle must not contain the app's server side:\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}
chmodSync(outfile, 0o755);
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`${outfile}: ${(bytes / 1024).toFixed(0)} KiB from ${inputs.length} files`);

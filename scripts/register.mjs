// `node --import ./scripts/register.mjs <script>.ts`: how Canopy's own scripts (start, migrate,
// seed, benchmarks) run. It loads TypeScript through tsx and resolves `server-only` to an empty
// module: the server modules mark themselves with it, and outside Next.js (which resolves it per
// bundle, and refuses it in client components) the package would throw on import. Vitest does
// the same with an alias (vitest.config.ts), and build:edge with esbuild's (scripts/build-edge.mjs).
import { register } from 'node:module';

await import('tsx');
register('./server-only-hooks.mjs', import.meta.url);

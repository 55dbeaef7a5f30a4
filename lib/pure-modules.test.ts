// The modules of lib/ that Canopy Edge may import: pure rules and formats, free of the database
// and of Next.js, so that `npm run build:edge` bundles them into a plain Node program. The edge
// imports nothing else of lib/, and these import nothing but Node, plain packages and each other.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PURE_MODULES = [
  'lib/api/sort-params.ts', // the sorted lists' sort and order parameters (zod alone)
  'lib/auth/basic.ts', // HTTP Basic credentials
  'lib/auth/secrets.ts', // salted verifiers
  'lib/free-port.ts',
  'lib/gateway/connection-string.ts', // the connection string grammar
  'lib/registries/rules.ts', // names, modes, schedules, durations, connection state
  'lib/scope-maps/grammar.ts', // scope-map actions
  'lib/scope-maps/schemas.ts', // scope maps' inputs and DTO
  'lib/server/output-streams.ts', // a log reader that went away stops nothing
  'lib/sync/report.ts', // the sync-run report the edge posts
  'lib/text.ts', // what text may be stored
  'lib/token-service/key-material.ts',
  'lib/token-service/jwt.ts', // ES256 JWTs signed with node:crypto (the token endpoints' hot path)
  'lib/token-service/protocol.ts', // the Docker token protocol over HTTP
  'lib/token-service/scopes.ts', // requested scopes and what a scope map grants
  'lib/tokens/passwords.ts', // token password verifiers
  'lib/tokens/schemas.ts', // tokens' inputs and DTOs: password slots, statuses
];

const root = resolve(__dirname, '..');
const FORBIDDEN_PACKAGES = /^(next|next-auth|react|react-dom|pg|@prisma\/|prisma|server-only)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !/test/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The specifiers a file imports, the lib/ ones as paths from the repository root. */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('@/')) return `${spec.slice(2)}.ts`;
    if (spec.startsWith('.')) return `${relative(root, resolve(root, dirname(file), spec))}.ts`;
    return spec;
  });
}

describe('the modules the edge may import', () => {
  it('the edge imports only these of lib/', () => {
    const used = sourceFiles('edge').flatMap((f) =>
      imports(f)
        .filter((i) => i.startsWith('lib/'))
        .map((i) => `${f} → ${i}`),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((u) => !PURE_MODULES.includes(u.split(' → ')[1]))).toEqual([]);
  });

  it('they import no database, no Next.js, nothing of lib/ but each other', () => {
    const bad = PURE_MODULES.flatMap((f) =>
      imports(f)
        .filter((i) => (i.startsWith('lib/') ? !PURE_MODULES.includes(i) : FORBIDDEN_PACKAGES.test(i)))
        .map((i) => `${f} → ${i}`),
    );
    expect(bad).toEqual([]);
  });
});

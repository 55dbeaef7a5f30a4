// The data layer marks itself `import 'server-only'`: a client component that imports a value
// from it fails `next build` instead of shipping database code (or a secret column) to the
// browser. A data module is one that reaches the database itself: it imports the Prisma client
// (`lib/db/client`, for `getDb` or a transaction's type), the row locks, or `withCloudRegistry`.
// Server actions ('use server') are adapters the client calls by reference, not data modules.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const DATABASE = /from '(@\/lib\/db\/(client|locks)|\.\/client|@\/lib\/registries\/service\/with-cloud-registry|\.\/with-cloud-registry)'/;
// lib/db/locks.ts, which only types its transaction argument, is reached through withCloudRegistry.
const NOT_DATA = ['lib/db/locks.ts'];

function modules(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'generated'
        ? []
        : modules(join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}

describe("import 'server-only'", () => {
  const dataModules = modules('lib').filter((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return !/^'use server'/m.test(text) && !NOT_DATA.includes(f) && (f === 'lib/db/client.ts' || DATABASE.test(text));
  });

  it('finds the data layer', () => {
    expect(dataModules).toEqual(expect.arrayContaining(['lib/db/client.ts', 'lib/registries/queries.ts', 'lib/tokens/queries.ts']));
  });

  it('marks every module that reaches the database', () => {
    const unmarked = dataModules.filter((f) => !/^import 'server-only';$/m.test(readFileSync(join(root, f), 'utf8')));
    expect(unmarked).toEqual([]);
  });
});

// `npm run bench:lists [-- <registry>] [--quick]`: the server time of the portal's and the API's
// reads at fleet scale. Seeds the registry when missing (scripts/seed-large.ts; 10,000 connected
// registries and 200,000 client tokens unless SEED_REGISTRIES / SEED_TOKENS say otherwise), then
// times, in this process against DATABASE_URL, the very functions the REST handlers and pages
// call (database and DTOs; no HTTP): the connected-registries, tokens and scope-maps lists with
// each filter and deep pages through the cursor (target p95 < 100 ms each), and the hierarchy
// document (target < 300 ms and < 1 MB). Prints the figures; asserts nothing.
import { parseArgs } from 'node:util';
import { disconnectDb } from '@/lib/db/client';
import { hierarchyTree, listConnectedRegistries } from '@/lib/registries/queries';
import { listConnectedRegistriesQuery } from '@/lib/registries/schemas';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import { listScopeMapsQuery } from '@/lib/scope-maps/schemas';
import { listTokens } from '@/lib/tokens/queries';
import { listTokensQuery } from '@/lib/tokens/schemas';
import { recordFigure } from './bench/results';
import { seedLarge, withDatabase } from './seed-large';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false } } });
const registry = positionals[0] ?? 'fleet';
const RUNS = values.quick ? 7 : 21;
const DEEP_PAGES = values.quick ? 20 : 100;
const TARGET_LIST_MS = 100;
const TARGET_HIERARCHY_MS = 300;
const TARGET_HIERARCHY_BYTES = 1_000_000;

type Page = { next: string | null };
type Lister = (cursor?: string) => Promise<Page>;

const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: plans cached, connections open
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** The cursor of page `pages + 1`, walked to from the first page. */
async function deepCursor(list: Lister, pages: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = await list(cursor);
    if (!page.next) break;
    cursor = page.next;
  }
  return cursor;
}

const rows: { list: string; filter: string; p50: number; p95: number }[] = [];

async function measure(list: string, filter: string, lister: Lister, deep = false) {
  const cursor = deep ? await deepCursor(lister, DEEP_PAGES) : undefined;
  const times = await timed(() => lister(cursor));
  const row = {
    list,
    filter: deep ? `${filter}, page ${DEEP_PAGES + 1}` : filter,
    p50: times[Math.floor(times.length / 2)],
    p95: p95(times),
  };
  rows.push(row);
  console.log(
    `  ${`${row.list} ${row.filter}`.padEnd(56)} p50 ${row.p50.toFixed(1).padStart(6)} ms   p95 ${row.p95.toFixed(1).padStart(6)} ms   ${row.p95 < TARGET_LIST_MS ? 'ok' : 'MISSED'}`,
  );
}

async function main() {
  await withDatabase(async () => {
    const seeded = await seedLarge({
      name: registry,
      registries: Number(process.env.SEED_REGISTRIES ?? 10_000),
      tokens: Number(process.env.SEED_TOKENS ?? 200_000),
    });
    // the seed's first registry is a top-level one, its name padded to the count's width
    const top = `region${'1'.padStart(Math.max(4, String(seeded.registries).length), '0')}`;
    const connected =
      (q: Record<string, string>): Lister =>
      (cursor) =>
        listConnectedRegistries(registry, listConnectedRegistriesQuery.parse({ ...q, ...(cursor ? { cursor } : {}) }));
    const tokens =
      (q: Record<string, string>): Lister =>
      (cursor) =>
        listTokens(registry, listTokensQuery.parse({ ...q, ...(cursor ? { cursor } : {}) }));
    const scopeMaps =
      (q: Record<string, string>): Lister =>
      (cursor) =>
        listScopeMaps(registry, listScopeMapsQuery.parse({ ...q, ...(cursor ? { cursor } : {}) }));

    console.log(`\nserver time of ${registry}'s reads, ${RUNS} runs each (in-process: database and DTOs, no HTTP)\n`);
    const hierarchyTimes = await timed(() => hierarchyTree(registry));
    const bytes = Buffer.byteLength(JSON.stringify(await hierarchyTree(registry)));
    const hierarchyP95 = p95(hierarchyTimes);
    console.log(
      `  GET R/hierarchy: p50 ${hierarchyTimes[Math.floor(RUNS / 2)].toFixed(0)} ms, p95 ${hierarchyP95.toFixed(0)} ms (target < ${TARGET_HIERARCHY_MS} ms), ` +
        `${(bytes / 1e6).toFixed(2)} MB (target < 1 MB)\n`,
    );
    recordFigure({
      bench: 'lists',
      name: 'GET R/hierarchy server time, p95',
      value: hierarchyP95,
      unit: 'ms',
      target: `< ${TARGET_HIERARCHY_MS} ms`,
      met: hierarchyP95 < TARGET_HIERARCHY_MS,
    });
    recordFigure({
      bench: 'lists',
      name: 'GET R/hierarchy size',
      value: bytes / 1e6,
      unit: 'MB',
      target: '< 1 MB',
      met: bytes < TARGET_HIERARCHY_BYTES,
    });

    await measure('connected registries', 'all', connected({}));
    await measure('connected registries', 'all', connected({}), true);
    await measure('connected registries', 'q=plant', connected({ q: 'plant' }));
    await measure('connected registries', 'mode=ReadOnly', connected({ mode: 'ReadOnly' }));
    await measure('connected registries', 'mode=ReadOnly', connected({ mode: 'ReadOnly' }), true);
    await measure('connected registries', 'connectionState=Offline', connected({ connectionState: 'Offline' }));
    await measure('connected registries', 'connectionState=Online', connected({ connectionState: 'Online' }));
    await measure('connected registries', 'children=direct (top level)', connected({ children: 'direct' }));
    await measure('connected registries', 'parent=<a top-level registry>', connected({ parent: top }));
    await measure('connected registries', 'parent=…&children=direct', connected({ parent: top, children: 'direct' }));
    await measure('tokens', 'all', tokens({}));
    await measure('tokens', 'all', tokens({}), true);
    await measure('tokens', 'kind=client', tokens({ kind: 'client' }));
    await measure('tokens', 'kind=client', tokens({ kind: 'client' }), true);
    await measure('tokens', 'kind=sync', tokens({ kind: 'sync' }));
    await measure('tokens', 'status=disabled', tokens({ status: 'disabled' }));
    await measure('tokens', 'expiring=true', tokens({ expiring: 'true' }));
    await measure('tokens', 'q=01234', tokens({ q: '01234' }));
    await measure('scope maps', 'all', scopeMaps({}));
    await measure('scope maps', 'kind=sync', scopeMaps({ kind: 'sync' }));
    await measure('scope maps', 'kind=sync', scopeMaps({ kind: 'sync' }), true);
    await measure('scope maps', 'kind=user', scopeMaps({ kind: 'user' }));
    await measure('scope maps', 'kind=system', scopeMaps({ kind: 'system' }));
    await measure('scope maps', 'q=plant', scopeMaps({ q: 'plant' }));

    const worst = rows.reduce((w, r) => (r.p95 > w.p95 ? r : w));
    const missed = rows.filter((r) => r.p95 >= TARGET_LIST_MS).length;
    console.log(
      `\n${rows.length - missed} of ${rows.length} list reads under ${TARGET_LIST_MS} ms at p95; slowest: ${worst.list} ${worst.filter}, ${worst.p95.toFixed(0)} ms`,
    );
    recordFigure({
      bench: 'lists',
      name: `list reads (${rows.length} filters and deep pages) under ${TARGET_LIST_MS} ms p95`,
      value: rows.length - missed,
      unit: `of ${rows.length}`,
      target: `${rows.length} of ${rows.length}`,
      met: missed === 0,
    });
    recordFigure({
      bench: 'lists',
      name: `slowest list read, p95 (${worst.list} ${worst.filter})`,
      value: worst.p95,
      unit: 'ms',
      target: `< ${TARGET_LIST_MS} ms`,
      met: worst.p95 < TARGET_LIST_MS,
    });
    await disconnectDb();
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

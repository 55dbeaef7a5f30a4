// A fleet of live edges for benchmarks (bench:gateway, bench:memory): seed:large's tree of N
// connected registries made ready to poll (a sync token password each, every registry active,
// one client token accepted by all), each registry's first configuration fetch, then each
// holding its own configuration long poll as Canopy Edge does (wait=60: answered 304 and asked
// again, or 200 with the new configuration), until stopped. A held poll shows in the server's
// rebuild log (CANOPY_LOG_CONFIG_REBUILDS=1): `waitUntilHeld` makes harmless changes until a
// rebuild reports every poll waiting.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { v7 as newId } from 'uuid';
import { saltedVerifier } from '@/lib/auth/secrets';

export const POLL_WAIT_SECONDS = 60;
/** The client token every registry of the fleet accepts: disabling it is a change concerning all of them. */
export const ALL_TOKEN = 'gwall';

export type Edge = { name: string; auth: string; etag: string; answers: { status: number; at: number }[] };
export type Rebuild = { cloud: string; at: number; built: number; polls: number; woken: number; ms: number };

/** A rebuild the server logged (CANOPY_LOG_CONFIG_REBUILDS=1), or null for any other line. */
export function parseRebuild(line: string): Rebuild | null {
  const m = line.match(/^gateway: (\S+) changed: (\d+) configurations built for (\d+) polls, (\d+) woken, in (\d+) ms/);
  return m ? { cloud: m[1], at: performance.now(), built: +m[2], polls: +m[3], woken: +m[4], ms: +m[5] } : null;
}

/** Runs one of the project's scripts as npm does: through scripts/register.mjs (tsx, and `server-only` a no-op). */
export function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', './scripts/register.mjs', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/** seed:large's tree of `count` connected registries (depth 4) in a cloud registry of its own. */
export function seedFleet(cloud: string, count: number, env: NodeJS.ProcessEnv): Promise<void> {
  return runScript(['scripts/seed-large.ts', cloud, '--registries', String(count), '--tokens', String(count), '--depth', '4'], env);
}

/**
 * The fleet made ready to poll: each sync token gets a password (the same value, each its own
 * salted verifier), every registry is active, and one client token is accepted by all. Answers
 * the registries' names.
 */
export async function prepareFleet(url: string, cloud: string, password: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const cloudId = (await client.query<{ id: string }>('SELECT id FROM "CloudRegistry" WHERE name = $1', [cloud])).rows[0].id;
    const registries = (
      await client.query<{ name: string; syncTokenId: string }>(
        'SELECT name, "syncTokenId" FROM "ConnectedRegistry" WHERE "cloudRegistryId" = $1 ORDER BY name',
        [cloudId],
      )
    ).rows;
    const tokenIds = registries.map((r) => r.syncTokenId);
    await client.query('BEGIN');
    await client.query(`UPDATE "Token" SET status = 'enabled' WHERE id = ANY($1::uuid[])`, [tokenIds]);
    await client.query(
      `INSERT INTO "TokenPassword" ("tokenId", slot, verifier, "createdAt")
       SELECT t, 'password1', v, now() FROM unnest($1::uuid[], $2::text[]) AS x(t, v)`,
      [tokenIds, tokenIds.map(() => saltedVerifier(password))],
    );
    await client.query(
      `UPDATE "ConnectedRegistry" SET "activationStatus" = 'Active', "instanceId" = 'bench-' || name WHERE "cloudRegistryId" = $1`,
      [cloudId],
    );
    const tokenId = newId();
    await client.query(
      `INSERT INTO "Token" (id, "cloudRegistryId", name, "scopeMapId", status, "createdAt", "updatedAt")
       SELECT $1, $2, $3, id, 'enabled', now(), now() FROM "ScopeMap" WHERE "cloudRegistryId" = $2 AND name = 'team1-pull'`,
      [tokenId, cloudId, ALL_TOKEN],
    );
    await client.query(
      `INSERT INTO "ConnectedRegistryClientToken" ("connectedRegistryId", "tokenId") SELECT id, $1 FROM "ConnectedRegistry" WHERE "cloudRegistryId" = $2`,
      [tokenId, cloudId],
    );
    await client.query('COMMIT');
    return registries.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/** The fleet's edges against a Canopy at `url`: first fetches, long polls, and their answers. */
export function createFleet(url: string, cloud: string, names: string[], password: string) {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; etag: string }>((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? '') }));
      });
      req.on('error', reject);
      req.end();
    });
  const configPath = (name: string, wait: number) =>
    `/gateway/v1/registries/${cloud}/connected-registries/${name}/config${wait ? `?wait=${wait}` : ''}`;
  const edges: Edge[] = names.map((name) => ({
    name,
    auth: `Basic ${Buffer.from(`${name}-sync-token:${password}`).toString('base64')}`,
    etag: '',
    answers: [],
  }));
  const headersOf = (e: Edge) => ({
    authorization: e.auth,
    'x-connected-registry-instance': `bench-${e.name}`,
    ...(e.etag ? { 'if-none-match': e.etag } : {}),
  });
  let stopped = false;
  // what went wrong, by kind: `HTTP 503`, `ECONNRESET`, …
  const errors = new Map<string, number>();
  const noteError = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
  let loops: Promise<void>[] = [];
  const pause = () => new Promise((res) => setTimeout(res, 1000));

  return {
    edges,
    /** each edge's first fetch, `parallel` at a time */
    async fetchFirst(parallel = 32) {
      let next = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < edges.length) {
            const e = edges[next++];
            const r = await get(configPath(e.name, 0), headersOf(e));
            if (r.status !== 200) throw new Error(`${e.name}: the first configuration fetch answered ${r.status}`);
            e.etag = r.etag;
          }
        }),
      );
    },
    /** every edge polls until `stop` */
    poll() {
      loops = edges.map(async (e) => {
        while (!stopped) {
          try {
            const r = await get(configPath(e.name, POLL_WAIT_SECONDS), headersOf(e));
            if (stopped) return;
            e.answers.push({ status: r.status, at: performance.now() });
            if (r.status === 200) e.etag = r.etag;
            else if (r.status !== 304) {
              noteError(`HTTP ${r.status}`);
              await pause();
            }
          } catch (error) {
            if (stopped) return;
            noteError((error as NodeJS.ErrnoException).code ?? 'request failed');
            await pause();
          }
        }
      });
    },
    /** poll answers that were neither 200 nor 304, and requests that failed */
    errors: () => [...errors.values()].reduce((n, c) => n + c, 0),
    /** the same, by kind: `HTTP 503 ×12, ECONNRESET ×3` */
    errorKinds: () => [...errors].map(([kind, n]) => `${kind} ×${n}`).join(', ') || 'none',
    /** ends the polls (their sockets closed), waiting at most 5 s for the loops */
    async stop() {
      stopped = true;
      agent.destroy();
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

/**
 * Makes a change that concerns no poll (a new scope map) until a rebuild of `cloud` reports
 * `count` polls waiting, or `timeoutMs` passes: the number of polls held. Each such change drops
 * what the gateway remembers of the cloud registry, and the polls still arriving then read their
 * sync token, registry and configuration themselves: the first change waits until the polls
 * have had time to arrive on what the first fetches left in memory, the next ones 5 s apart.
 */
export async function waitUntilHeld(
  api: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>,
  cloud: string,
  count: number,
  rebuilds: Rebuild[],
  timeoutMs = 90_000,
): Promise<number> {
  const heldBy = performance.now() + timeoutMs;
  await new Promise((r) => setTimeout(r, Math.min(20_000, 5 * count)));
  let probe = 0;
  const mine = () => rebuilds.filter((r) => r.cloud === cloud);
  for (;;) {
    const before = mine().length;
    // a connection reset under the load of the polls' arrival is tried again, not the end of the run
    const name = `probe${(probe += 1)}`;
    await api('POST', `/api/v1/registries/${cloud}/scope-maps`, { name, actions: ['repositories/probe/content/read'] }).catch(
      async (error: unknown) => {
        console.log(`probe ${name}: ${error instanceof Error ? error.message : error}; trying again`);
        await new Promise((r) => setTimeout(r, 1000));
      },
    );
    while (mine().length === before && performance.now() < heldBy) await new Promise((r) => setTimeout(r, 100));
    const last = mine().at(-1);
    if ((last && last.polls >= count) || performance.now() >= heldBy) return last?.polls ?? 0;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

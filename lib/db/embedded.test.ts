// The embedded database (PGlite) as `npm start` runs it without DATABASE_URL: PostgreSQL's memory
// settings are the small ones (its WebAssembly memory never shrinks: every buffer it touches stays
// in Canopy's RSS), and a new data folder, made by a short-lived process of its own, is reopened
// with what was written to it; WebAssembly is compiled by Liftoff alone (no tier-up to TurboFan,
// whose compilations leave tens of MB resident).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_SETTINGS, startEmbeddedDatabase } from './embedded';

const folder = mkdtempSync(join(tmpdir(), 'canopy-embedded-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('the embedded database', () => {
  it('runs with small memory settings, and a new data folder keeps what is written to it', async () => {
    const dataDir = join(folder, 'pgdata');
    const first = await startEmbeddedDatabase(dataDir);
    try {
      await withClient(first.url, async (client) => {
        for (const setting of EMBEDDED_SETTINGS) {
          const [name, value] = setting.split('=');
          expect((await client.query(`SHOW ${name}`)).rows[0][name]).toBe(value);
        }
        expect((await client.query('SHOW shared_buffers')).rows[0].shared_buffers).toBe('8MB');
        await client.query('CREATE TABLE kept (name text)');
        await client.query("INSERT INTO kept VALUES ('written before the restart')");
      });
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedDatabase(dataDir);
    try {
      const rows = await withClient(again.url, async (client) => (await client.query('SELECT name FROM kept')).rows);
      expect(rows).toEqual([{ name: 'written before the restart' }]);
    } finally {
      await again.stop();
    }
  }, 600_000);
});

/** A WebAssembly module exporting f(n): the sum n + (n - 1) + … + 1, a hot loop that V8 tiers up. */
const HOT_LOOP = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version
  ...[0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f], // types: (i32) -> i32
  ...[0x03, 0x02, 0x01, 0x00], // one function of that type
  ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00], // exported as "f"
  ...[0x0a, 0x1b, 0x01, 0x19, 0x01, 0x01, 0x7f], // its code: one i32 local (the sum)
  ...[0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01], // loop: sum += n
  ...[0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b], // n -= 1, again while n != 0
  ...[0x20, 0x01, 0x0b], // return sum
]);

describe("WebAssembly in the embedded database's process", () => {
  it('is compiled by Liftoff alone: a hot function is never tiered up to TurboFan', async () => {
    const db = await startEmbeddedDatabase(null);
    try {
      // V8's own test functions, parsed while natives syntax is allowed
      setFlagsFromString('--allow-natives-syntax');
      const tier = new Function('f', 'return { liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) }') as (f: unknown) => {
        liftoff: boolean;
        turbofan: boolean;
      };
      setFlagsFromString('--no-allow-natives-syntax');
      const { instance } = await WebAssembly.instantiate(HOT_LOOP);
      const f = instance.exports.f as (n: number) => number;
      expect(f(3)).toBe(6);
      // With V8's defaults f is tiered up within milliseconds of this loop (in the background):
      // run it for 2 s, and stop early if it was.
      const until = Date.now() + 2_000;
      while (Date.now() < until && !tier(f).turbofan) {
        f(100_000);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(tier(f)).toEqual({ liftoff: true, turbofan: false });
    } finally {
      await db.stop();
    }
  }, 600_000);
});

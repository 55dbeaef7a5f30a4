// The embedded database (PGlite) as `npm start` runs it without DATABASE_URL: PostgreSQL's memory
// settings are the small ones (its WebAssembly memory never shrinks: every buffer it touches stays
// in Canopy's RSS), and a new data folder, made by a short-lived process of its own, is reopened
// with what was written to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
        expect((await client.query('SHOW shared_buffers')).rows[0].shared_buffers).toBe('16MB');
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

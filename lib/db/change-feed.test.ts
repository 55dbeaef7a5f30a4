// The change feed on a PostgreSQL server: a change committed here is announced here once (right
// after the commit), not a second time when this process hears its own NOTIFY — a second
// announcement would drop the caches again, and with them what was read in between.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { markChanged, transaction } from './client';
import { CHANNEL, notifiedRegistries, notifySql, onChange } from './change-feed';

const db = setupTestDatabase();

describe('the change feed', () => {
  it('a NOTIFY names its sender first: the sender skips it, another process reads the registries', () => {
    const payload = notifySql(['contoso', 'fabrikam', 'contoso']);
    expect(notifiedRegistries(payload)).toEqual([]);
    // as another process (another origin) would have sent it
    const other = JSON.stringify(['@origin:another-process', 'contoso', 'fabrikam']);
    expect(notifiedRegistries(other)).toEqual(['contoso', 'fabrikam']);
    // from a sender without an origin (an older instance, a hand-made NOTIFY)
    expect(notifiedRegistries('["contoso"]')).toEqual(['contoso']);
  });

  itOnPostgresServer('announces a change committed here once; a NOTIFY from another connection still reaches it', async () => {
    const received: string[] = [];
    const off = onChange((r) => received.push(r));
    try {
      await new Promise((r) => setTimeout(r, 300)); // the LISTEN connection comes up
      await transaction(async (tx) => markChanged(tx, 'announcedhere'));
      expect(received).toEqual(['announcedhere']); // at once, after the commit
      // NOTIFYs reach a listener in commit order: once this one arrives, the transaction's own has too
      const other = new pg.Client({ connectionString: db.url() });
      await other.connect();
      await other.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(['barrier'])]);
      await other.end();
      await expect.poll(() => received.includes('barrier'), { timeout: 10_000, interval: 20 }).toBe(true);
      expect(received).toEqual(['announcedhere', 'barrier']);
    } finally {
      off();
    }
  });
});

// The change feed on a PostgreSQL server: a change committed here is announced here once (right
// after the commit), not a second time when this process hears its own NOTIFY — a second
// announcement would drop the caches again, and with them what was read in between.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { markChanged, transaction } from './client';
import { CHANNEL, EVERYTHING, notifiedChanges, notifiedRegistries, notifySql, onChange } from './change-feed';

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

  it('a change concerning some connected registries alone names them; a payload too long for a NOTIFY names the whole cloud registry', () => {
    const changes = new Map([
      ['contoso', new Set(['shop01', 'shop02'])],
      ['fabrikam', null],
    ]);
    const other = JSON.parse(notifySql(changes)) as unknown[];
    other[0] = '@origin:another-process';
    expect(notifiedChanges(JSON.stringify(other))).toEqual(changes);
    // several entries of one cloud registry: the whole of it wins over some of it
    expect(notifiedChanges('[["contoso","shop01"],"contoso",["contoso","shop02"]]')).toEqual(new Map([['contoso', null]]));
    expect(notifiedChanges('[["contoso","shop01"],["contoso","shop02"]]')).toEqual(new Map([['contoso', new Set(['shop01', 'shop02'])]]));
    const many = new Map([['contoso', new Set(Array.from({ length: 800 }, (_, i) => `registry${i}`))]]);
    expect(notifiedChanges(notifySql(many).replace(/^\["@origin:[^"]+"/, '["@origin:x"'))).toEqual(new Map([['contoso', null]]));
    expect(() => notifiedChanges('[{"contoso":1}]')).toThrow();
    expect(EVERYTHING).toBe('*');
  });

  itOnPostgresServer('a NOTIFY naming some connected registries reaches a listener with them alone', async () => {
    const received: [string, string[] | null][] = [];
    const off = onChange((r, only) => received.push([r, only ? [...only].sort() : null]));
    try {
      await new Promise((r) => setTimeout(r, 300)); // the LISTEN connection comes up
      await transaction(async (tx) => {
        markChanged(tx, 'narrowhere', ['Shop02']);
        markChanged(tx, 'narrowhere', ['shop01']);
        markChanged(tx, 'wholehere', ['shop01']);
        markChanged(tx, 'wholehere');
      });
      expect(received).toEqual([
        ['narrowhere', ['shop01', 'shop02']],
        ['wholehere', null],
      ]);
      const other = new pg.Client({ connectionString: db.url() });
      await other.connect();
      await other.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(['@origin:another-instance', ['fromafar', 'shop03']])]);
      await other.end();
      await expect.poll(() => received.length, { timeout: 10_000, interval: 20 }).toBe(3);
      expect(received[2]).toEqual(['fromafar', ['shop03']]);
    } finally {
      off();
    }
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

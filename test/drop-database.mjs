// Drops a scratch database that a test made, even while something is still connected to it.
//
// `DROP DATABASE … WITH (FORCE)` terminates the database's other sessions, and PostgreSQL checks
// each one: a role that is not a superuser may end its own sessions, but not an autovacuum
// worker that happens to be vacuuming the database at that moment ("must be a member of the role
// whose process is being terminated"). CI's test role is no superuser, and a test that wrote
// many rows invites autovacuum: wait for the worker to finish and try again.
import pg from 'pg';

const NOT_PERMITTED = '42501';

/**
 * @param {string} serverUrl a connection string of the PostgreSQL server (any database on it)
 * @param {string} name the database to drop
 */
export async function dropDatabase(serverUrl, name) {
  for (let attempt = 1; ; attempt++) {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== NOT_PERMITTED || attempt >= 20) throw error;
    } finally {
      await c.end();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

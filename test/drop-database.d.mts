/** Drops a scratch database, waiting out an autovacuum worker that a non-superuser may not end. */
export function dropDatabase(serverUrl: string, name: string): Promise<void>;

// `npm run db:migrate`: applies the SQL migrations to DATABASE_URL (or the embedded database).
import { join } from 'node:path';
import { dataDir } from '@/lib/config';
import { startEmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase(join(dataDir(), 'pgdata'));
const { applied, alreadyApplied } = await migrate(process.env.DATABASE_URL ?? embedded!.url);
console.log(applied.length ? `applied: ${applied.join(', ')}` : `up to date (${alreadyApplied} migrations applied before)`);
await embedded?.stop();

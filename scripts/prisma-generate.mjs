// Runs `prisma generate` (npm postinstall). The Prisma 7 CLI insists that its native schema
// engine exists before any command, even though `generate` never uses it; where the engine
// cannot be downloaded (no access to Prisma's servers) point the check at an existing file.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);

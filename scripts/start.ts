// `npm start`: the database (embedded PGlite unless DATABASE_URL is set), migrations, the
// first admin, a production build when none exists, then the portal on PORT.
//   --dev   run Next.js in development mode instead of a production build
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import next from 'next';
import { ensureFirstAdmin } from '@/lib/admins/service';
import { dataDir, port, publicUrl, strictTransportSecurity } from '@/lib/config';
import { disconnectDb } from '@/lib/db/client';
import type { EmbeddedDatabase } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { answerMalformedPath } from '@/lib/path-encoding';
import { createCanopyServer } from '@/lib/server/lifecycle';
import { keepRunningWhenOutputCloses } from '@/lib/server/output-streams';
import { ensureSigningKey, signingKeyStorageWarning } from '@/lib/token-service/keys';
import { detachedConnectedRegistries } from '@/lib/registries/login-servers';
import { isTokenRequest, serveTokenRequest } from '@/lib/token-service/node-handler';
import { configRequestParams, serveConfigRequest } from '@/lib/gateway/node-handler';
import { startWebhooks } from '@/lib/webhooks/scheduler';

// a log reader that goes away (a closed pipe or socket) must not stop the server, or its drain
keepRunningWhenOutputCloses();

const dev = process.argv.includes('--dev');
const root = process.cwd();

function log(message: string) {
  console.log(`canopy: ${message}`);
}

/** NEXTAUTH_SECRET signs session cookies; when unset, one is generated and kept in the data folder. */
function ensureAuthSecret() {
  if (process.env.NEXTAUTH_SECRET) return;
  const dir = dataDir();
  const file = join(dir, 'auth-secret');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, 'utf8').trim();
}

/**
 * The configuration `next build` resolved and wrote beside the build, as Next's standalone server
 * uses it: reading next.config.ts at start would load Next's TypeScript compiler (SWC, a native
 * module of tens of MB) into the server for good, only to compile a file already compiled.
 */
function builtConfig() {
  const { config } = JSON.parse(readFileSync(join(root, '.next', 'required-server-files.json'), 'utf8')) as {
    config: Record<string, unknown>;
  };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return config;
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  let embedded: EmbeddedDatabase | undefined;
  if (!process.env.DATABASE_URL) {
    const dir = join(dataDir(), 'pgdata');
    // loaded only here: PGlite's code stays out of a server that runs on PostgreSQL
    const { startEmbeddedDatabase } = await import('@/lib/db/embedded');
    embedded = await startEmbeddedDatabase(
      dir,
      process.env.CANOPY_EMBEDDED_DB_PORT ? Number(process.env.CANOPY_EMBEDDED_DB_PORT) : undefined,
    );
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_POOL_MAX = '1';
    process.env.CANOPY_EMBEDDED = '1';
    log(`embedded PostgreSQL (PGlite) with its data in ${dir}`);
  }
  const { applied } = await migrate(process.env.DATABASE_URL!);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  ensureAuthSecret();
  process.env.NEXTAUTH_URL ??= publicUrl();
  // over https, every response tells browsers to use nothing else
  const hsts = strictTransportSecurity();

  const bootstrap = await ensureFirstAdmin();
  if (bootstrap?.generatedPassword) {
    log('created the first admin. Sign in with these credentials (shown only this once):');
    console.log(`\n    email:    ${bootstrap.email}\n    password: ${bootstrap.generatedPassword}\n`);
  } else if (bootstrap) {
    log(`created the first admin ${bootstrap.email} from CANOPY_ADMIN_EMAIL / CANOPY_ADMIN_PASSWORD`);
  }
  await ensureSigningKey();
  const keyWarning = await signingKeyStorageWarning();
  if (keyWarning) console.warn(`canopy: WARNING: ${keyWarning}`);
  for (const d of await detachedConnectedRegistries()) {
    log(
      `warning: connected registry ${d.serviceName} has ${d.loginServer}, a cloud registry's login server: the token service ` +
        `grants it nothing there until an admin gives it a login server of its own (its service name ${d.serviceName} still works)`,
    );
  }
  await disconnectDb();

  if (!dev && !existsSync(join(root, '.next', 'BUILD_ID'))) {
    log('no production build yet: running `next build` (once)…');
    const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status !== 0) throw new Error('next build failed');
  }

  // hostname and port let server actions that redirect reach this server
  const app = next({ dev, dir: root, hostname: 'localhost', port: port(), conf: dev ? undefined : builtConfig() });
  const handle = app.getRequestHandler();
  await app.prepare();
  const { server, drain } = createCanopyServer(
    (req, res) => {
      if (hsts) res.setHeader('Strict-Transport-Security', hsts);
      if (answerMalformedPath(req, res)) return;
      // the token endpoint reads the socket's address itself (tokenClientAddress)
      if (isTokenRequest(req.url)) return void serveTokenRequest(req, res);
      // The one trustworthy client address: the socket's. Overwrite anything a client sent.
      req.headers['x-canopy-client-address'] = req.socket.remoteAddress ?? 'unknown';
      // the edges' configuration long polls: thousands at once, answered ahead of Next.js too
      const config = configRequestParams(req.method, req.url);
      if (config) return void serveConfigRequest(req, res, config);
      void handle(req, res);
    },
    createServer,
    (req) => isTokenRequest(req.url),
  );
  // Node closes a keep-alive connection after 5 s idle, racing with a client that sends its next
  // request on it at that moment (the client sees ECONNRESET, and a POST is not retried). Keep
  // idle connections longer than clients and load balancers do (their usual idle limit is 60 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const listenPort = port();
  server.listen(listenPort, process.env.HOST ?? '0.0.0.0', () => log(`portal on ${publicUrl()} (port ${listenPort})`));
  // webhook deliveries and the detectors of offline registries and expiring passwords
  const webhooks = startWebhooks();

  // SIGTERM/SIGINT: stop accepting, answer open long polls (304), let requests in flight finish
  // (10 s at most), then close the database and exit — a restart resets no connection.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining (no new connections; requests in flight get up to 10 s)`);
    const { forced } = await drain(10_000);
    if (forced) log(`closed ${forced} connection(s) still busy after 10 s`);
    // Cleanup must not keep a drained server alive (a database that is already gone can leave
    // a close waiting for good): after 5 s more, exit anyway.
    setTimeout(() => {
      log('cleanup did not finish within 5 s; exiting');
      process.exit(1);
    }, 5_000).unref();
    await webhooks.stop();
    await app.close?.();
    await disconnectDb();
    await embedded?.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('canopy: failed to start:', error);
  process.exit(1);
});

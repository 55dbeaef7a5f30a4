// Starts Canopy's production server (as `npm start` does) in a child process for benchmarks,
// on a fresh embedded database unless DATABASE_URL is set, with a known first admin.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const benchAdmin = { email: 'bench@canopy.local', password: 'bench-admin-password-123' };

export async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The environment a benchmark's Canopy runs with: production, on loopback at `port`, with the bench admin. */
export function benchServerEnv(port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    CANOPY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    CANOPY_ADMIN_EMAIL: benchAdmin.email,
    CANOPY_ADMIN_PASSWORD: benchAdmin.password,
    NEXTAUTH_SECRET: 'bench-only-secret-0123456789abcdef0123',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/** package.json's start script: `[NAME=value …] exec node [options] scripts/start.mjs`. */
function startScript(): { env: Record<string, string>; options: string[] } {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const m = /^((?:[A-Z_]+=\S+\s+)*)exec node (.*?)\s*scripts\/start\.mjs$/.exec(scripts.start);
  if (!m) throw new Error(`package.json's start script is not \`[NAME=value …] exec node [options] scripts/start.mjs\`: ${scripts.start}`);
  const env = Object.fromEntries(
    m[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((assignment) => assignment.split('=', 2) as [string, string]),
  );
  return { env, options: m[2].split(/\s+/).filter(Boolean) };
}

/** The node options `npm start` runs the server with (package.json's start script), so that benchmarks measure the same process. */
export function startNodeOptions(): string[] {
  return startScript().options;
}

/** The environment variables `npm start` sets for the server (package.json's start script). */
export function startEnv(): Record<string, string> {
  return startScript().env;
}

export type RunningCanopy = {
  url: string;
  /** SIGTERM to the server's process group (SIGKILL after 10 s), waits for its exit, then removes its temporary data folder */
  stop: () => Promise<void>;
  /** resolves when the server's process has exited */
  exited: Promise<void>;
  pid: number;
};

export async function startCanopy(
  port: number,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  /** each line the server prints on its standard output (ignored when not given) */
  onOutput?: (line: string) => void,
): Promise<RunningCanopy> {
  if (!existsSync('.next/BUILD_ID')) {
    const build = spawnSync('npx', ['next', 'build'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const dataDir =
    process.env.DATABASE_URL || extraEnv.DATABASE_URL || extraEnv.CANOPY_DATA_DIR ? null : mkdtempSync(join(tmpdir(), 'canopy-bench-'));
  const url = `http://127.0.0.1:${port}`;
  // the node process `npm start` execs (the compiled server script, made first when stale), with
  // the same node options, without npm: the child is the server, its exit the server's
  const server = await launchDetached(
    process.execPath,
    [...startNodeOptions(), ...nodeArgs, 'scripts/start.mjs'],
    { ...benchServerEnv(port), ...startEnv(), ...(dataDir ? { CANOPY_DATA_DIR: dataDir } : {}), ...extraEnv },
    `${url}/api/health`,
    240_000,
    onOutput,
  ).catch((error: unknown) => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url,
    exited: server.exited,
    pid: server.pid,
    stop: async () => {
      await server.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a process group: SIGTERM, then SIGKILL to whatever of it still runs after `graceMs`. */
async function endGroup(pid: number, exited: Promise<void>, graceMs: number) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // gone already
  }
  const until = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* all gone */
  }
  await exited;
}

/**
 * Runs `command` in a process group of its own and waits until `readyUrl` answers. A process
 * that exits first, or does not answer within `timeoutMs`, fails the start, and its whole group
 * is ended before the error is thrown: a benchmark never leaves a server behind.
 */
export async function launchDetached(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  timeoutMs: number,
  onOutput?: (line: string) => void,
  graceMs = 10_000,
): Promise<{ pid: number; exited: Promise<void>; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', onOutput ? 'pipe' : 'ignore', 'inherit'], detached: true, env });
  if (onOutput) createInterface({ input: child.stdout! }).on('line', onOutput);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const pid = child.pid!;
  const stop = () => endGroup(pid, exited, graceMs);
  try {
    await Promise.race([
      waitFor(readyUrl, timeoutMs),
      exited.then(() => Promise.reject(new Error(`${readyUrl}: the server exited while starting`))),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid, exited, stop };
}

/** A REST client for the bench: an Owner access token made with HTTP Basic. */
export async function apiClient(url: string) {
  const basic = `Basic ${Buffer.from(`${benchAdmin.email}:${benchAdmin.password}`).toString('base64')}`;
  const res = await fetch(`${url}/api/v1/access-tokens`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench-${Date.now()}` }),
  });
  if (res.status !== 201) throw new Error(`could not create an access token: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

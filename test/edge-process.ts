// Canopy Edge as a real child process, for the Vitest proofs and the Playwright specs alike (no
// Canopy server code here): from the sources with tsx, or the built file, in its own process
// group, stopped by the test by group id.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type RunningEdge = {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
};

/** Writes the connection string to a 0600 file, the way Canopy tells admins to. */
export function connectionStringFile(connectionString: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'canopy-edge-cs-')), 'connection-string');
  writeFileSync(file, connectionString, { mode: 0o600 });
  return file;
}

/** Starts an edge: `node --import tsx edge/main.ts` (or the built file) with these flags. */
export function startEdge(args: string[], opts: { built?: string } = {}): RunningEdge {
  const argv = opts.built ? [opts.built, ...args] : ['--import', 'tsx', 'edge/main.ts', ...args];
  const child = spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd: opts.built ? dirname(opts.built) : process.cwd(),
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

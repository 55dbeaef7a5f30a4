import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

// A server in miniature, as scripts/start.ts is: it logs uncaught exceptions (as Next.js does), logs
// as it serves, and drains on SIGTERM. Its stdout and stderr are pipes whose reader goes away; it
// tells the test over IPC how many uncaught exceptions it saw.
const server = (guard: boolean) => `
  ${guard ? "const { keepRunningWhenOutputCloses } = await import('./lib/server/output-streams.ts'); keepRunningWhenOutputCloses();" : ''}
  let uncaught = 0;
  process.on('uncaughtException', (e) => { uncaught++; console.error('uncaught:', e); });
  setInterval(() => console.log('serving'), 5);
  process.on('SIGTERM', () => {
    console.log('SIGTERM: draining');
    setTimeout(() => process.send({ uncaught }, () => process.exit(0)), 50);
  });
  console.log('ready');
`;

async function closeOutputThenStop(guard: boolean) {
  const child = spawn(process.execPath, ['--import', './scripts/register.mjs', '--input-type=module', '-e', server(guard)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const report = once(child, 'message') as Promise<[{ uncaught: number }]>;
  await once(child.stdout!, 'data');
  // the reader goes away: both pipes closed on this side, while the server keeps logging
  child.stdout!.destroy();
  child.stderr!.destroy();
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGTERM');
  const [[{ uncaught }], [code]] = await Promise.all([report, exited]);
  return { uncaught, code };
}

describe('keepRunningWhenOutputCloses', () => {
  it('a server whose output reader went away raises nothing, keeps running and drains on SIGTERM', async () => {
    expect(await closeOutputThenStop(true)).toEqual({ uncaught: 0, code: 0 });
  }, 30_000);

  it('without it, every write raises EPIPE and its logging raises another (the loop it prevents)', async () => {
    const { uncaught } = await closeOutputThenStop(false);
    expect(uncaught).toBeGreaterThan(100);
  }, 30_000);
});

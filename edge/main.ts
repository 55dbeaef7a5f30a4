// `canopy-edge` (npm run edge -- …, or node dist/canopy-edge.mjs …): parses the flags, runs the
// edge until SIGTERM/SIGINT, and exits with a clear message when it cannot run: 2 for bad input
// (flags, connection string, data dir, registry binary, listener), 3 when Canopy refuses
// activation because another instance holds this registry.
import { keepRunningWhenOutputCloses } from '@/lib/server/output-streams';
import { DataDirError } from './data-dir';
import { Edge, FatalError } from './edge';
import { Logger } from './log';
import { parseOptions, USAGE, UsageError } from './options';
import { EDGE_VERSION } from './version';

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`canopy-edge: ${error.message}\nRun canopy-edge --help for the options.\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`canopy-edge ${EDGE_VERSION}\n`);
    return 0;
  }
  const log = new Logger(parsed.options.logFormat);
  const edge = new Edge(parsed.options, log);
  const stop = () => void edge.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const { done } = await edge.start();
    await done;
    return 0;
  } catch (error) {
    if (error instanceof FatalError || error instanceof DataDirError) {
      log.error('edge.exit', error.message);
      process.stderr.write(`canopy-edge: ${error.message}\n`);
      await edge.stop();
      return error instanceof FatalError ? error.exitCode : 2;
    }
    await edge.stop();
    throw error;
  }
}

// a log reader that goes away (`canopy-edge … | head`, a supervisor restarting) must not stop the edge
keepRunningWhenOutputCloses();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`canopy-edge: unexpected error: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

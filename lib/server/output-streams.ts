// A server's standard output and error are often pipes or sockets: a supervisor, `… | tee`, a test
// runner. When their reader goes away, every write fails with EPIPE and the stream emits 'error'.
// Unhandled, that is an uncaught exception — and Next.js's handler logs it, to the same broken
// stream, which fails again: a server seen spinning at 60–80 % CPU for the better part of an hour,
// never reaching its SIGTERM drain. A reader that left is not the server's failure: it goes on
// serving (and stops on SIGTERM as it should), and that stream's output is dropped.
import type { Writable } from 'node:stream';

const guarded = new WeakSet<Writable>();

/** Output written to a stream whose reader has gone is dropped, never raised (idempotent). */
export function keepRunningWhenOutputCloses(streams: Writable[] = [process.stdout, process.stderr]) {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    // nowhere to report it: the stream that failed is where the report would go
    stream.on('error', () => {});
  }
}

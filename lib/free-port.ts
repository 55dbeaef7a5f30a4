// A TCP port on loopback that nothing listens on, for servers started on the fly: the embedded
// database, the benchmark's server, and the registries in the interop tests.
import { createServer } from 'node:net';

/** Asks the OS for a free port on 127.0.0.1 and releases it at once, for the caller to listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

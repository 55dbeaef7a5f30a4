// Drives one GET endpoint (a token endpoint) on loopback with a fixed number of requests from a
// number of concurrent clients, after a warm-up, and returns requests per second and latencies.
import autocannon from 'autocannon';

export type Figures = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

export async function drive(url: string, headers: Record<string, string>, opts: { requests: number; connections: number }): Promise<Figures> {
  // warm up (JIT, key cache, connection pool), then measure
  await autocannon({ url, connections: opts.connections, amount: 500, headers });
  // Throughput from the first request to the last response, timed here: autocannon's own
  // figures come in whole seconds, too coarse for a run of a few seconds.
  let last = 0;
  const started = performance.now();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: opts.connections, amount: opts.requests, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    instance.on('response', () => (last = performance.now()));
  });
  const seconds = (last - started) / 1000;
  return { rps: r.requests.total / seconds, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export const grantsRow = (name: string, f: Figures) =>
  `${name.padEnd(28)} ${f.rps.toFixed(0).padStart(8)} grants/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   non-2xx ${f.non2xx}   errors ${f.errors}`;

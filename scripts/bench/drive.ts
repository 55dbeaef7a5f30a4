// Drives one GET endpoint (a token endpoint) on loopback with a fixed number of requests from a
// number of concurrent clients, after a warm-up, and returns requests per second and latencies.
import autocannon from 'autocannon';
import { readdirSync, readFileSync } from 'node:fs';

export type Figures = {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** with `serverPid`: the server's CPU time (user + system, its whole process tree) per 2xx answer */
  cpuPerGrantUs?: number;
  /** with `serverPid`: the measured run on the monotonic clock, in µs (what V8's CPU profiles use) */
  window?: [number, number];
};

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds of a process and all its descendants, from /proc. */
export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // after the command: state(0) ppid(1) … utime(11) stime(12)
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* gone meanwhile */
    }
  }
  let seconds = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    seconds += runtimeSeconds(pid) ?? (stats.get(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return seconds;
}

/**
 * A process's CPU time to the nanosecond: the sum of its threads' run time in the scheduler's
 * statistics (/proc/<pid>/task/<tid>/schedstat), or undefined where there are none. The ticks of
 * /proc/<pid>/stat count in hundredths of a second: ±5 % on a short run of 200 ms.
 */
function runtimeSeconds(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        /* the thread ended meanwhile */
      }
    }
    return Number.isFinite(ns) ? ns / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export async function drive(
  url: string,
  headers: Record<string, string>,
  opts: { requests: number; connections: number; serverPid?: number },
): Promise<Figures> {
  // warm up (JIT, key cache, connection pool), then measure
  await autocannon({ url, connections: opts.connections, amount: 500, headers });
  // Throughput from the first request to the last response, timed here: autocannon's own
  // figures come in whole seconds, too coarse for a run of a few seconds.
  let last = 0;
  const cpuBefore = opts.serverPid ? treeCpuSeconds(opts.serverPid) : 0;
  const windowStart = monotonicUs();
  const started = performance.now();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: opts.connections, amount: opts.requests, headers }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    instance.on('response', () => (last = performance.now()));
  });
  const seconds = (last - started) / 1000;
  const figures: Figures = { rps: r.requests.total / seconds, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  if (opts.serverPid) {
    figures.cpuPerGrantUs = ((treeCpuSeconds(opts.serverPid) - cpuBefore) / Math.max(1, r.requests.total - r.non2xx)) * 1e6;
    figures.window = [windowStart, monotonicUs()];
  }
  return figures;
}

export const grantsRow = (name: string, f: Figures) =>
  `${name.padEnd(28)} ${f.rps.toFixed(0).padStart(8)} grants/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   non-2xx ${f.non2xx}   errors ${f.errors}`;

// Bounded work for the sync engine: a semaphore for concurrent copies, retries with exponential
// backoff for transient failures (the network, 5xx, 429), and sleeps that end with the run.
import { RegistryError } from './oci-client';

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** The run was stopped (its window ended, or the edge is stopping): not a failure of the work. */
export class StoppedError extends Error {}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function isTransient(error: unknown): boolean {
  if (error instanceof RegistryError) return error.transient;
  const code = (error as NodeJS.ErrnoException)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code)
  );
}

export type RetryPolicy = { attempts: number; baseMs: number; maxMs: number };
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, maxMs: 8000 };

/** Runs `fn`, trying again after a transient failure (500 ms, 1 s, 2 s … with jitter), up to `attempts` times. */
export async function retry<T>(
  fn: () => Promise<T>,
  signal: AbortSignal,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new StoppedError('stopped');
    try {
      return await fn();
    } catch (error) {
      if (signal.aborted) throw new StoppedError('stopped');
      if (attempt >= policy.attempts || !isTransient(error)) throw error;
      onRetry?.(error, attempt);
      const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await sleep(wait / 2 + Math.random() * (wait / 2), signal);
    }
  }
}

/** Runs `fn` over the items with at most `limit` at once; the first failure is thrown after the others settled. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const semaphore = new Semaphore(limit);
  const results = await Promise.allSettled(items.map((item) => semaphore.run(() => fn(item))));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

// Webhooks in the server process: the delivery worker, and the detectors every minute and at
// once (debounced) after a change. For 3 minutes after the start, and after the database
// comes back from an outage, no offline event is sent: registries need the chance to report.
import { onChange } from '@/lib/db/change-feed';
import { OFFLINE_AFTER_MS } from '@/lib/registries/rules';
import { detectConditions } from './detectors';
import { createWebhookWorker, type WorkerOptions } from './worker';

export type WebhookScheduler = { stop(): Promise<void>; runDetectors(): Promise<void> };

export function startWebhooks(options: WorkerOptions & { detectEveryMs?: number; quietMs?: number } = {}): WebhookScheduler {
  const quietMs = options.quietMs ?? OFFLINE_AFTER_MS;
  let quietUntil = new Date(Date.now() + quietMs);
  let databaseLost = false;
  let stopped = false;
  const worker = createWebhookWorker(options);
  worker.start();

  let detecting: Promise<void> | null = null;
  const runDetectors = async () => {
    if (detecting) return detecting;
    detecting = (async () => {
      // while the database is away (and in the run that finds it back) the quiet time restarts:
      // registries could not report meanwhile
      if (databaseLost) quietUntil = new Date(Date.now() + quietMs);
      try {
        const queued = await detectConditions({ quietUntil });
        databaseLost = false;
        if (queued) worker.wake();
      } catch (error) {
        databaseLost = true;
        console.error('canopy: webhook detectors:', error instanceof Error ? error.message : error);
      } finally {
        detecting = null;
      }
    })();
    return detecting;
  };

  const every = setInterval(() => void runDetectors(), options.detectEveryMs ?? 60_000);
  every.unref?.();
  void runDetectors();

  let debounce: NodeJS.Timeout | undefined;
  const unsubscribe = onChange(() => {
    // a change may have queued deliveries (its own transaction wrote them) or made a condition
    worker.wake();
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      if (!stopped) void runDetectors();
    }, 500);
    debounce.unref?.();
  });

  return {
    runDetectors,
    async stop() {
      stopped = true;
      clearInterval(every);
      clearTimeout(debounce);
      unsubscribe();
      await detecting;
      await worker.stop();
    },
  };
}

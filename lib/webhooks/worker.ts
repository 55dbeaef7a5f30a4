// The delivery worker: claims due deliveries with a short lease (FOR UPDATE SKIP LOCKED, one
// statement, committed at once), makes each HTTP call outside any transaction — the embedded
// database has a single connection, which must never wait on a 10 s call — then records the
// attempt in a short transaction. Several instances share the work; a crashed one's lease
// runs out and another instance delivers (at least once). Signatures are made per attempt;
// the webhook-id stays the event id on every retry and redelivery.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { getDb, type Db } from '@/lib/db/client';
import { CLOUD_EVENT_CONTENT_TYPE } from './events';
import { postWebhook, type CallResult } from './http';
import { DISABLE_AFTER_FAILING_MS, retryDelay, signatureHeader } from './rules';
import { signingSecrets } from './secrets';

export type WorkerOptions = {
  /** defaults to the app's client; tests give each "instance" its own */
  db?: () => Db;
  /** the wait before retry `step`, or null when retries are over (tests make it short) */
  backoff?: (step: number) => number | null;
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
};

type Claimed = { id: string; endpointId: string; eventId: string; event: unknown; nextAttemptAt: Date; createdAt: Date };

const LEASE_MS = 60_000;

export type WebhookWorker = {
  /** claims what is due and delivers it; resolves when those calls are recorded */
  runOnce(): Promise<number>;
  start(): void;
  /** stops polling and waits for the calls in flight */
  stop(): Promise<void>;
  /** runs soon (something was queued) */
  wake(): void;
};

export function createWebhookWorker(options: WorkerOptions = {}): WebhookWorker {
  const db = options.db ?? getDb;
  const backoff = options.backoff ?? ((step: number) => retryDelay(step));
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const pollMs = options.pollMs ?? 2_000;
  const batchSize = options.batchSize ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = true;

  async function claim(dueBy: Date): Promise<Claimed[]> {
    return db().$queryRaw<Claimed[]>`
      UPDATE "WebhookDelivery" d SET "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond', "updatedAt" = now()
      WHERE d."id" IN (
        SELECT w."id" FROM "WebhookDelivery" w JOIN "WebhookEndpoint" e ON e."id" = w."endpointId"
        WHERE w."status" = 'pending' AND w."nextAttemptAt" <= ${dueBy} AND (w."leaseUntil" IS NULL OR w."leaseUntil" < now()) AND e."enabled"
        ORDER BY w."nextAttemptAt"
        LIMIT ${batchSize}
        FOR UPDATE OF w SKIP LOCKED
      )
      RETURNING d."id", d."endpointId", d."eventId", d."event", d."nextAttemptAt", d."createdAt"`;
  }

  async function attempt(delivery: Claimed): Promise<void> {
    const endpoint = await db().webhookEndpoint.findUnique({
      where: { id: delivery.endpointId },
      omit: { secret: false, previousSecret: false },
    });
    if (!endpoint) return;
    const body = JSON.stringify(delivery.event);
    const timestamp = Math.floor(Date.now() / 1000);
    let result: CallResult;
    try {
      const signature = signatureHeader(signingSecrets(endpoint), delivery.eventId, timestamp, body);
      result = await postWebhook(
        endpoint.url,
        {
          'content-type': CLOUD_EVENT_CONTENT_TYPE,
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        },
        body,
      );
    } catch (error) {
      // a secret that cannot be opened: recorded as a failed attempt, never with the secret
      result = {
        statusCode: null,
        durationMs: 0,
        response: null,
        error: error instanceof Error ? error.message : 'Could not sign the delivery.',
      };
    }
    await record(delivery, result);
  }

  async function record(delivery: Claimed, result: CallResult): Promise<void> {
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const now = new Date();
    await db().$transaction(async (tx) => {
      await tx.webhookAttempt.create({
        data: {
          deliveryId: delivery.id,
          time: new Date(now.getTime() - result.durationMs),
          statusCode: result.statusCode,
          durationMs: result.durationMs,
          response: result.response,
          error: result.error,
        },
      });
      const current = await tx.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { retryStep: true, status: true } });
      if (!current) return;
      const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
      if (ok) {
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            status: 'delivered',
            deliveredAt: now,
            leaseUntil: null,
            attemptCount: { increment: 1 },
            lastStatusCode: result.statusCode,
            lastError: null,
          },
        });
        await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failingSince: null } });
        return;
      }
      const wait = backoff(current.retryStep);
      await tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: {
          attemptCount: { increment: 1 },
          lastStatusCode: result.statusCode,
          lastError: error,
          leaseUntil: null,
          ...(wait === null ? { status: 'failed' } : { retryStep: current.retryStep + 1, nextAttemptAt: new Date(now.getTime() + wait) }),
        },
      });
      const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({
        where: { id: delivery.endpointId },
        select: { failingSince: true, enabled: true, name: true, cloudRegistry: { select: { name: true } } },
      });
      const failingSince = endpoint.failingSince ?? now;
      if (!endpoint.failingSince) await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { failingSince: now } });
      if (endpoint.enabled && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) {
        await tx.webhookEndpoint.update({ where: { id: delivery.endpointId }, data: { enabled: false, disabledReason: 'failing' } });
        await recordAudit(tx, 'system', {
          action: 'webhook.autoDisable',
          targetType: 'webhook',
          targetName: endpoint.name,
          registry: endpoint.cloudRegistry.name,
          details: { failingSince: failingSince.toISOString(), lastError: error },
        });
      }
    });
  }

  async function runOnce(): Promise<number> {
    // what is due now: retries that fall due meanwhile wait for the next run
    const dueBy = new Date();
    let total = 0;
    for (;;) {
      const batch = await claim(dueBy);
      if (!batch.length) return total;
      total += batch.length;
      // endpoints in parallel; one endpoint's deliveries in the order they fell due
      const byEndpoint = new Map<string, Claimed[]>();
      batch.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
      for (const d of batch) byEndpoint.set(d.endpointId, [...(byEndpoint.get(d.endpointId) ?? []), d]);
      await Promise.all(
        [...byEndpoint.values()].map(async (deliveries) => {
          for (const d of deliveries)
            await attempt(d).catch((error) => console.error('canopy: webhook delivery could not be recorded', error));
        }),
      );
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref?.();
  }

  function tick() {
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error) => {
        console.error('canopy: webhook worker:', error instanceof Error ? error.message : error);
        return 0;
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          schedule(0);
        } else schedule(pollMs);
      });
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    wake() {
      if (!stopped) schedule(0);
    },
  };
}

import 'server-only';
// Reads of webhook endpoints and their delivery log, as DTOs (never a secret).
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
import { getDb, type Db, type Tx } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { resolveCloudRegistry } from '@/lib/registries/cloud-queries';
import { z } from 'zod';
import type { ListDeliveriesQuery, WebhookDeliveryDto, WebhookDto } from './schemas';
import { sameName } from '@/lib/db/like';

export const webhookSelect = {
  id: true,
  name: true,
  url: true,
  events: true,
  expiryWarningDays: true,
  enabled: true,
  disabledReason: true,
  previousSecretUntil: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { deliveries: { where: { status: 'failed' } } } },
} as const;

type WebhookRow = Prisma.WebhookEndpointGetPayload<{ select: typeof webhookSelect }>;

export function toWebhookDto(r: WebhookRow, now = new Date()): WebhookDto {
  return {
    name: r.name,
    url: r.url,
    events: r.events,
    expiryWarningDays: r.expiryWarningDays,
    enabled: r.enabled,
    disabledReason: r.disabledReason,
    previousSecretUntil: r.previousSecretUntil && r.previousSecretUntil > now ? r.previousSecretUntil.toISOString() : null,
    failingSince: r.failingSince?.toISOString() ?? null,
    failedDeliveries: r._count.deliveries,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The endpoint's row id, or 404. */
export async function resolveWebhook(tx: Tx | Db, cloudRegistryId: string, name: string) {
  const row = await tx.webhookEndpoint.findFirst({ where: { cloudRegistryId, name: sameName(name) }, select: webhookSelect });
  if (!row) throw new NotFoundError(`Webhook "${name}"`);
  return row;
}

export async function listWebhooks(registry: string): Promise<{ items: WebhookDto[]; next: null }> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registry);
  const rows = await db.webhookEndpoint.findMany({ where: { cloudRegistryId: cloud.id }, orderBy: { name: 'asc' }, select: webhookSelect });
  return { items: rows.map((r) => toWebhookDto(r)), next: null };
}

export async function getWebhook(registry: string, name: string): Promise<WebhookDto> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registry);
  return toWebhookDto(await resolveWebhook(db, cloud.id, name));
}

export const deliverySelect = {
  id: true,
  eventId: true,
  eventType: true,
  subject: true,
  event: true,
  status: true,
  attemptCount: true,
  nextAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
  attempts: {
    orderBy: { time: 'desc' },
    take: 20,
    select: { time: true, statusCode: true, durationMs: true, response: true, error: true },
  },
} as const;

type DeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  subject: string;
  event: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attemptCount: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attempts: { time: Date; statusCode: number | null; durationMs: number; response: string | null; error: string | null }[];
};

export function toDeliveryDto(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    eventId: r.eventId,
    eventType: r.eventType,
    subject: r.subject,
    status: r.status,
    attemptCount: r.attemptCount,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    event: r.event,
    attempts: r.attempts.map((a) => ({
      time: a.time.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      response: a.response,
      error: a.error,
    })),
  };
}

const deliveryCursor = z.object({ t: z.string(), id: z.uuid() });

export async function listDeliveries(registry: string, name: string, query: ListDeliveriesQuery): Promise<Page<WebhookDeliveryDto>> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registry);
  const endpoint = await resolveWebhook(db, cloud.id, name);
  const after = decodeCursor(deliveryCursor, query.cursor);
  const rows = await db.webhookDelivery.findMany({
    where: {
      endpointId: endpoint.id,
      ...(query.status ? { status: query.status } : {}),
      ...(after ? { OR: [{ createdAt: { lt: new Date(after.t) } }, { createdAt: new Date(after.t), id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    select: deliverySelect,
  });
  return toPage(rows, query.limit, (r) => ({ t: r.createdAt.toISOString(), id: r.id }), toDeliveryDto);
}

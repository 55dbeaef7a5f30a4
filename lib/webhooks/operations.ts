// The webhook endpoints' REST operations, for the OpenAPI document (lib/api/operations.ts).
import { z } from 'zod';
import type { Operation } from '@/lib/api/openapi';
import { pageOf } from '@/lib/api/openapi';
import { createWebhookInput, listDeliveriesQuery, updateWebhookInput } from './schemas';

const webhook = z.object({
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('Event types it receives; ["*"] for every alert type; io.canopy.audit.* forwards audit events'),
  expiryWarningDays: z.number(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('"failing": Canopy disabled it after a day of failed deliveries'),
  previousSecretUntil: z
    .string()
    .nullable()
    .describe('After Rotate secret: until then each delivery also carries a signature made with the old secret'),
  failingSince: z.string().nullable(),
  failedDeliveries: z.number().describe('Deliveries that ran out of retries'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const attempt = z.object({
  time: z.string(),
  statusCode: z.number().nullable(),
  durationMs: z.number(),
  response: z.string().nullable().describe('At most the first 512 bytes'),
  error: z.string().nullable(),
});
const delivery = z.object({
  id: z.string(),
  eventId: z.string().describe('The CloudEvent id, sent as webhook-id on every attempt'),
  eventType: z.string(),
  subject: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attemptCount: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  event: z.unknown().describe('The CloudEvent, as sent'),
  attempts: z.array(attempt),
});

const W = '/api/v1/registries/{registry}/webhooks';
const tag = 'Webhooks';

export const webhookOperations: Operation[] = [
  {
    method: 'get',
    path: W,
    tag,
    pathParams: ['registry'],
    errors: [404],
    summary: 'List webhook endpoints (never a secret)',
    response: { status: 200, description: 'The endpoints', schema: pageOf(webhook) },
  },
  {
    method: 'post',
    path: W,
    tag,
    pathParams: ['registry'],
    body: createWebhookInput,
    errors: [403, 404, 409],
    noStore: true,
    summary:
      'Create a webhook endpoint; its secret (whsec_…) is shown this once. A URL resolving to a loopback or private address is refused unless CANOPY_WEBHOOK_ALLOW_PRIVATE=true',
    response: { status: 201, description: 'Created', schema: webhook.extend({ secret: z.string() }) },
  },
  {
    method: 'get',
    path: `${W}/{name}`,
    tag,
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'Show a webhook endpoint',
    response: { status: 200, description: 'The endpoint', schema: webhook },
  },
  {
    method: 'patch',
    path: `${W}/{name}`,
    tag,
    pathParams: ['registry', 'name'],
    body: updateWebhookInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'Change URL, events, expiry warning or enabled; rotateSecret answers the new secret once (the old one also signs for 24 hours)',
    response: { status: 200, description: 'Updated', schema: webhook.extend({ secret: z.string().optional() }) },
  },
  {
    method: 'delete',
    path: `${W}/{name}`,
    tag,
    pathParams: ['registry', 'name'],
    errors: [403, 404],
    summary: 'Delete a webhook endpoint and its delivery log',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: `${W}/{name}/test`,
    tag,
    pathParams: ['registry', 'name'],
    errors: [403, 404, 409],
    summary: 'Send test: queues an io.canopy.webhook.test event for this endpoint',
    response: { status: 202, description: 'Queued', schema: delivery },
  },
  {
    method: 'get',
    path: `${W}/{name}/deliveries`,
    tag,
    pathParams: ['registry', 'name'],
    query: listDeliveriesQuery,
    errors: [404],
    summary:
      'The delivery log, newest first: each delivery with its attempts (time, status code, duration, first 512 bytes of the response)',
    response: { status: 200, description: 'A page of deliveries', schema: pageOf(delivery) },
  },
  {
    method: 'post',
    path: `${W}/{name}/deliveries/{id}/redeliver`,
    tag,
    pathParams: ['registry', 'name', 'id'],
    errors: [403, 404],
    summary: 'Redeliver: the same event (same webhook-id) is sent again now',
    response: { status: 202, description: 'Queued', schema: delivery },
  },
];

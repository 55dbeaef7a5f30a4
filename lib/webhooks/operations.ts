// The webhook endpoints' REST operations, for the OpenAPI document (lib/api/operations.ts).
import { z } from 'zod';
import type { Operation } from '@/lib/api/openapi';
import { pageOf } from '@/lib/api/openapi';
import { resourceOperations } from '@/lib/api/resource-operations';
import { createWebhookInput, listDeliveriesQuery, updateWebhookInput, webhookDeliveryDto, webhookDto } from './schemas';

const webhooks = resourceOperations({ tag: 'Webhooks', path: '/api/v1/registries/{registry}/webhooks', pathParams: ['registry'] });

export const webhookOperations: Operation[] = [
  webhooks.list({ summary: 'List webhook endpoints (never a secret)', description: 'The endpoints', schema: pageOf(webhookDto) }),
  webhooks.create({
    body: createWebhookInput,
    noStore: true,
    summary:
      'Create a webhook endpoint; its secret (whsec_…) is shown this once. A URL resolving to a loopback or private address is refused unless CANOPY_WEBHOOK_ALLOW_PRIVATE=true',
    schema: webhookDto.extend({ secret: z.string() }),
  }),
  webhooks.show({ summary: 'Show a webhook endpoint', description: 'The endpoint', schema: webhookDto }),
  webhooks.update({
    body: updateWebhookInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'Change URL, events, expiry warning or enabled; rotateSecret answers the new secret once (the old one also signs for 24 hours)',
    schema: webhookDto.extend({ secret: z.string().optional() }),
  }),
  webhooks.delete({ errors: [403, 404], summary: 'Delete a webhook endpoint and its delivery log' }),
  webhooks.act({
    sub: '/test',
    summary: 'Send test: queues an io.canopy.webhook.test event for this endpoint',
    status: 202,
    description: 'Queued',
    schema: webhookDeliveryDto,
  }),
  webhooks.show({
    sub: '/deliveries',
    query: listDeliveriesQuery,
    summary:
      'The delivery log, newest first: each delivery with its attempts (time, status code, duration, first 512 bytes of the response)',
    description: 'A page of deliveries',
    schema: pageOf(webhookDeliveryDto),
  }),
  webhooks.act({
    sub: '/deliveries/{id}/redeliver',
    errors: [403, 404],
    summary: 'Redeliver: the same event (same webhook-id) is sent again now',
    status: 202,
    description: 'Queued',
    schema: webhookDeliveryDto,
  }),
];

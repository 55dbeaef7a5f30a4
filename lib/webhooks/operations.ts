// The webhook endpoints' REST operations, for the OpenAPI document (lib/api/operations.ts).
import { z } from 'zod';
import type { Operation } from '@/lib/api/openapi';
import { pageOf } from '@/lib/api/openapi';
import { createWebhookInput, listDeliveriesQuery, updateWebhookInput, webhookDeliveryDto, webhookDto } from './schemas';

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
    response: { status: 200, description: 'The endpoints', schema: pageOf(webhookDto) },
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
    response: { status: 201, description: 'Created', schema: webhookDto.extend({ secret: z.string() }) },
  },
  {
    method: 'get',
    path: `${W}/{name}`,
    tag,
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'Show a webhook endpoint',
    response: { status: 200, description: 'The endpoint', schema: webhookDto },
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
    response: { status: 200, description: 'Updated', schema: webhookDto.extend({ secret: z.string().optional() }) },
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
    response: { status: 202, description: 'Queued', schema: webhookDeliveryDto },
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
    response: { status: 200, description: 'A page of deliveries', schema: pageOf(webhookDeliveryDto) },
  },
  {
    method: 'post',
    path: `${W}/{name}/deliveries/{id}/redeliver`,
    tag,
    pathParams: ['registry', 'name', 'id'],
    errors: [403, 404],
    summary: 'Redeliver: the same event (same webhook-id) is sent again now',
    response: { status: 202, description: 'Queued', schema: webhookDeliveryDto },
  },
];

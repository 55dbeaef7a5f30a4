// The inputs of the webhook endpoints' use cases, shared by the REST handlers and the forms, and
// the DTOs they answer with (the OpenAPI document is built from them; the types are inferred).
import { z } from 'zod';
import { pageQuery } from '@/lib/api/pagination';
import { subscriptionProblem, urlProblem } from './rules';

export const webhookName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{3,50}$/, 'Use 3–50 letters, digits and "-".');

const url = z
  .string()
  .trim()
  .max(2000, 'At most 2,000 characters.')
  .superRefine((v, ctx) => {
    const problem = urlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const events = z
  .array(z.string().trim().max(200))
  .min(1, 'Choose at least one event type, or "*" for all.')
  .max(100)
  .superRefine((list, ctx) => {
    list.forEach((value, i) => {
      const problem = subscriptionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
    });
  })
  .transform((list) => [...new Set(list)]);

const expiryWarningDays = z.coerce.number().int('Use whole days.').min(1, 'At least 1 day.').max(90, 'At most 90 days.');

export const createWebhookInput = z
  .object({
    name: webhookName,
    url,
    events: events.default(['*']),
    expiryWarningDays: expiryWarningDays.default(7),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z
  .object({
    url: url.optional(),
    events: events.optional(),
    expiryWarningDays: expiryWarningDays.optional(),
    enabled: z.boolean().optional(),
    rotateSecret: z.literal(true).optional().describe('A new secret, shown once; the old one keeps signing too for 24 hours'),
  })
  .strict();
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const listDeliveriesQuery = pageQuery.extend({ status: z.enum(['pending', 'delivered', 'failed']).optional() });
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>;

export const deliveryId = z.uuid('Not a delivery id.');

/** A webhook endpoint as the API and the portal show it: never its secret. */
export const webhookDto = z.object({
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
export type WebhookDto = z.infer<typeof webhookDto>;

export const webhookAttemptDto = z.object({
  time: z.string(),
  statusCode: z.number().nullable(),
  durationMs: z.number(),
  response: z.string().nullable().describe('At most the first 512 bytes'),
  error: z.string().nullable(),
});
export type WebhookAttemptDto = z.infer<typeof webhookAttemptDto>;

/** A delivery with its attempts (newest first, at most 20). */
export const webhookDeliveryDto = z.object({
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
  attempts: z.array(webhookAttemptDto),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliveryDto>;

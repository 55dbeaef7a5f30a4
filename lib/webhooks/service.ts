// Webhook endpoints of a cloud registry: create (the secret shown once), change (URL, events,
// expiry warning, enabled; Rotate secret), delete, Send test, Redeliver. Each use case runs in
// one transaction with its audit event; Contributor to change.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { cloudEvent, queueEvents } from './events';
import { UnsafeTargetError, resolveSafeTarget } from './http';
import { deliverySelect, resolveWebhook, toDeliveryDto, toWebhookDto, webhookSelect } from './queries';
import type { WebhookDeliveryDto, WebhookDto } from './schemas';
import { PREVIOUS_SECRET_TTL_MS, TEST_EVENT_TYPE, generateWebhookSecret } from './rules';
import type { CreateWebhookInput, UpdateWebhookInput } from './schemas';
import { sealSecret } from './secrets';
import { sameName } from '@/lib/db/like';

/** Refuses (400) a URL whose host resolves to an address webhooks may not reach. */
async function assertSafeUrl(url: string): Promise<void> {
  try {
    await resolveSafeTarget(url);
  } catch (error) {
    if (error instanceof UnsafeTargetError) throw ValidationError.field('url', error.message);
    throw error;
  }
}

export type CreatedWebhook = WebhookDto & { secret: string };

export async function createWebhook(actor: Actor, registry: string, input: CreateWebhookInput): Promise<CreatedWebhook> {
  // the role first: a Reader's request makes no DNS lookup
  requireRole(actor, 'Contributor');
  // the DNS lookup happens before the transaction: no connection waits on it
  await assertSafeUrl(input.url);
  const secret = generateWebhookSecret();
  const sealed = sealSecret(secret);
  return withCloudRegistry(actor, 'Contributor', registry, async (tx, cloud, audit) => {
    const clash = await tx.webhookEndpoint.findFirst({
      where: { cloudRegistryId: cloud.id, name: sameName(input.name) },
      select: { id: true },
    });
    if (clash)
      throw new ConflictError(`A webhook named ${input.name} exists already in ${cloud.name}.`, [
        { field: 'name', message: 'This name is taken.' },
      ]);
    const row = await tx.webhookEndpoint.create({
      data: {
        cloudRegistryId: cloud.id,
        name: input.name,
        url: input.url,
        events: input.events,
        expiryWarningDays: input.expiryWarningDays,
        enabled: input.enabled,
        secret: sealed.value,
        secretEncrypted: sealed.encrypted,
      },
      select: webhookSelect,
    });
    await audit('webhook.create', row.name, {
      url: row.url,
      events: row.events,
      expiryWarningDays: row.expiryWarningDays,
      enabled: row.enabled,
    });
    return { ...toWebhookDto(row), secret };
  });
}

export async function updateWebhook(
  actor: Actor,
  registry: string,
  name: string,
  input: UpdateWebhookInput,
): Promise<WebhookDto & { secret?: string }> {
  requireRole(actor, 'Contributor');
  if (input.url) await assertSafeUrl(input.url);
  const secret = input.rotateSecret ? generateWebhookSecret() : undefined;
  return withCloudRegistry(actor, 'Contributor', registry, async (tx, cloud) => {
    const current = await resolveWebhook(tx, cloud.id, name);
    let rotation = {};
    if (secret) {
      const old = await tx.webhookEndpoint.findUniqueOrThrow({
        where: { id: current.id },
        select: { secret: true, secretEncrypted: true },
      });
      const sealed = sealSecret(secret);
      rotation = {
        secret: sealed.value,
        secretEncrypted: sealed.encrypted,
        previousSecret: old.secret,
        previousSecretEncrypted: old.secretEncrypted,
        previousSecretUntil: new Date(Date.now() + PREVIOUS_SECRET_TTL_MS),
      };
    }
    const enabling = input.enabled === true && !current.enabled;
    const row = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.expiryWarningDays !== undefined ? { expiryWarningDays: input.expiryWarningDays } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        // an admin's enable starts afresh: no longer "failing since" the old failures
        ...(enabling ? { disabledReason: null, failingSince: null } : {}),
        ...(input.enabled === false ? { disabledReason: null } : {}),
        ...rotation,
      },
      select: webhookSelect,
    });
    const before = { url: current.url, events: current.events, expiryWarningDays: current.expiryWarningDays, enabled: current.enabled };
    const after = { url: row.url, events: row.events, expiryWarningDays: row.expiryWarningDays, enabled: row.enabled };
    await recordAudit(tx, actor, {
      action: secret ? 'webhook.rotateSecret' : 'webhook.update',
      targetType: 'webhook',
      targetName: row.name,
      registry: cloud.name,
      details: { before, after, ...(secret ? { previousSecretUntil: row.previousSecretUntil?.toISOString() ?? null } : {}) },
    });
    return { ...toWebhookDto(row), ...(secret ? { secret } : {}) };
  });
}

export async function deleteWebhook(actor: Actor, registry: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registry, async (tx, cloud, audit) => {
    const current = await resolveWebhook(tx, cloud.id, name);
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await audit('webhook.delete', current.name, { url: current.url });
  });
}

/** Send test: queues an io.canopy.webhook.test event for this endpoint alone. */
export async function sendTestEvent(actor: Actor, registry: string, name: string): Promise<WebhookDeliveryDto> {
  return withCloudRegistry(
    actor,
    'Contributor',
    registry,
    async (tx, cloud, audit) => {
      const endpoint = await resolveWebhook(tx, cloud.id, name);
      if (!endpoint.enabled) throw new ConflictError(`${endpoint.name} is disabled: enable it to send a test.`, [], 'webhook_disabled');
      const event = cloudEvent(cloud.name, TEST_EVENT_TYPE, `webhooks/${endpoint.name}`, {
        webhook: endpoint.name,
        message: `A test event from Canopy for webhook ${endpoint.name}.`,
        sentBy: actor.email,
      });
      await queueEvents(tx, [{ id: endpoint.id, events: endpoint.events }], [event]);
      await audit('webhook.test', endpoint.name, { eventId: event.id });
      const row = await tx.webhookDelivery.findUniqueOrThrow({
        where: { endpointId_eventId: { endpointId: endpoint.id, eventId: event.id } },
        select: deliverySelect,
      });
      return toDeliveryDto(row);
    },
    { lock: false },
  );
}

/** Redeliver: the same event (same webhook-id) goes again now, with a fresh retry schedule. */
export async function redeliver(actor: Actor, registry: string, name: string, deliveryId: string): Promise<WebhookDeliveryDto> {
  return withCloudRegistry(
    actor,
    'Contributor',
    registry,
    async (tx, cloud, audit) => {
      const endpoint = await resolveWebhook(tx, cloud.id, name);
      const { count } = await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, endpointId: endpoint.id },
        data: { status: 'pending', retryStep: 0, nextAttemptAt: new Date(), leaseUntil: null, deliveredAt: null },
      });
      if (count === 0) throw new NotFoundError(`Delivery "${deliveryId}" of webhook ${endpoint.name}`);
      const row = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: deliverySelect });
      await audit('webhook.redeliver', endpoint.name, { deliveryId, eventId: row.eventId, eventType: row.eventType });
      return toDeliveryDto(row);
    },
    { lock: false },
  );
}

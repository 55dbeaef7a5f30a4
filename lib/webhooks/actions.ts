'use server';
// Server actions for webhook endpoints: thin adapters over service.ts.
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import type { WebhookDeliveryDto, WebhookDto } from './schemas';
import { createWebhookInput, deliveryId, updateWebhookInput } from './schemas';
import { createWebhook, deleteWebhook, redeliver, sendTestEvent, updateWebhook } from './service';

function revalidateWebhookViews() {
  revalidatePath('/webhooks', 'layout');
}

export async function createWebhookAction(
  registry: string,
  input: { name: string; url: string; events: string[]; expiryWarningDays: string | number },
): Promise<ActionState<{ name: string; secret: string }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const created = await createWebhook(actor, registry, parseInput(createWebhookInput, input));
    revalidateWebhookViews();
    return { name: created.name, secret: created.secret };
  }, `Created webhook ${input.name}.`);
}

export async function updateWebhookAction(
  registry: string,
  name: string,
  input: { url?: string; events?: string[]; expiryWarningDays?: string | number; enabled?: boolean },
): Promise<ActionState<WebhookDto>> {
  return runAction(async () => {
    const actor = await actionActor();
    const updated = await updateWebhook(actor, registry, name, parseInput(updateWebhookInput, input));
    revalidateWebhookViews();
    return updated;
  }, `Saved ${name}.`);
}

export type WebhookEditState = ActionState<WebhookDto>;

/** The webhook page's edit form (useActionState): URL, events, expiry warning and enabled, as PATCH takes them. */
export async function editWebhookAction(
  registry: string,
  name: string,
  _prev: WebhookEditState,
  formData: FormData,
): Promise<WebhookEditState> {
  return updateWebhookAction(registry, name, {
    url: formData.get('url')?.toString() ?? '',
    events: formData.getAll('events').map(String),
    expiryWarningDays: formData.get('expiryWarningDays')?.toString() ?? '',
    enabled: formData.get('enabled') === 'on',
  });
}

export async function rotateWebhookSecretAction(
  registry: string,
  name: string,
): Promise<ActionState<{ secret: string; previousSecretUntil: string | null }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const updated = await updateWebhook(actor, registry, name, { rotateSecret: true });
    revalidateWebhookViews();
    return { secret: updated.secret!, previousSecretUntil: updated.previousSecretUntil };
  });
}

export async function deleteWebhookAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deleteWebhook(actor, registry, name);
    revalidateWebhookViews();
    return undefined;
  }, `Deleted webhook ${name}.`);
}

export async function sendTestEventAction(registry: string, name: string): Promise<ActionState<WebhookDeliveryDto>> {
  return runAction(async () => {
    const actor = await actionActor();
    return sendTestEvent(actor, registry, name);
  }, 'Test event queued: it shows in the delivery log below.');
}

export async function redeliverAction(registry: string, name: string, id: string): Promise<ActionState<WebhookDeliveryDto>> {
  return runAction(async () => {
    const actor = await actionActor();
    return redeliver(actor, registry, name, parseInput(deliveryId, id));
  }, 'Queued again, with the same webhook-id.');
}

// Events as CloudEvents 1.0 (structured JSON) and the outbox they are queued in. An event is
// queued in the transaction of the change that caused it (recordAudit calls queueAuditEvents)
// or by a detector; one row per endpoint that wants it, unique per (endpoint, event id).
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { AuditInput } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import { publicUrl } from '@/lib/config';
import type { Db, Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { connectedRegistryHref, tokenHref } from '@/lib/tokens/hrefs';
import { AUDIT_PREFIX, wants } from './rules';

export type CloudEvent = {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
};

export const CLOUD_EVENT_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

export function registrySource(registry: string): string {
  return `${publicUrl()}/registries/${encodeURIComponent(registry)}`;
}

export function cloudEvent(
  registry: string,
  type: string,
  subject: string,
  data: Record<string, unknown>,
  options: { id?: string; time?: Date } = {},
): CloudEvent {
  return {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: registrySource(registry),
    type,
    subject,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: { registry, ...data },
  };
}

export const connectedRegistrySubject = (name: string) => `connectedRegistries/${name}`;
export const tokenSubject = (name: string) => `tokens/${name}`;
export const connectedRegistryLink = (registry: string, name: string) => `${publicUrl()}${connectedRegistryHref(registry, name)}`;
export const tokenLink = (registry: string, name: string) => `${publicUrl()}${tokenHref(registry, name)}`;

type EndpointTarget = { id: string; events: string[] };

/** Queues each event for each of the endpoints that want it; an (endpoint, event id) queued before is left alone. Returns how many rows were written. */
export async function queueEvents(tx: Tx | Db, endpoints: EndpointTarget[], events: CloudEvent[]): Promise<number> {
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const endpoint of endpoints) {
    for (const event of events) {
      if (!wants(endpoint.events, event.type)) continue;
      rows.push({
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        subject: event.subject,
        event: event as unknown as Prisma.InputJsonValue,
      });
    }
  }
  if (!rows.length) return 0;
  const { count } = await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
  return count;
}

/** The enabled endpoints of a cloud registry (by name). */
export async function enabledEndpoints(tx: Tx | Db, registry: string): Promise<EndpointTarget[]> {
  return tx.webhookEndpoint.findMany({
    where: { enabled: true, cloudRegistry: { name: registry } },
    select: { id: true, events: true },
  });
}

type StatusChange = { before?: { status?: string }; after?: { status?: string }; connectedRegistry?: string };

/** The alert an audited change raises: a token or a connected registry (its sync token) disabled or enabled. */
export function alertForAudit(event: AuditInput, time: Date): CloudEvent | null {
  const registry = event.registry;
  if (!registry) return null;
  const details = (event.details ?? {}) as StatusChange;
  if (event.action === 'connectedRegistry.disable' || event.action === 'connectedRegistry.enable') {
    const name = details.connectedRegistry;
    if (!name) return null;
    const state = event.action === 'connectedRegistry.disable' ? 'disabled' : 'enabled';
    return cloudEvent(
      registry,
      `io.canopy.connectedRegistry.${state}`,
      connectedRegistrySubject(name),
      { connectedRegistry: { name, syncToken: event.targetName, status: state }, link: connectedRegistryLink(registry, name) },
      { time },
    );
  }
  if (event.targetType === 'token' && event.action.startsWith('token.')) {
    const before = details.before?.status;
    const after = details.after?.status;
    if (!after || before === after || (after !== 'disabled' && after !== 'enabled')) return null;
    return cloudEvent(
      registry,
      `io.canopy.token.${after}`,
      tokenSubject(event.targetName),
      { token: { name: event.targetName, status: after }, link: tokenLink(registry, event.targetName) },
      { time },
    );
  }
  return null;
}

/**
 * Called by recordAudit in the change's own transaction: queues the alert the change raises,
 * and the audit event itself (io.canopy.audit.<action>) for endpoints that forward audit events.
 */
export async function queueAuditEvents(tx: Tx, actor: Actor | 'system', event: AuditInput): Promise<void> {
  if (!event.registry) return;
  const endpoints = await enabledEndpoints(tx, event.registry);
  if (!endpoints.length) return;
  const time = new Date();
  const events: CloudEvent[] = [];
  const alert = alertForAudit(event, time);
  if (alert) events.push(alert);
  events.push(
    cloudEvent(
      event.registry,
      `${AUDIT_PREFIX}${event.action}`,
      `${event.targetType}s/${event.targetName}`,
      {
        action: event.action,
        actor: actor === 'system' ? 'system' : actor.email,
        targetType: event.targetType,
        targetName: event.targetName,
        details: event.details ?? {},
      },
      { time },
    ),
  );
  await queueEvents(tx, endpoints, events);
}

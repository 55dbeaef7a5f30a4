// The pure rules of webhooks: event types and subscriptions, the retry schedule, Standard
// Webhooks signatures, event ids, and which addresses a delivery may reach.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { ALL_AUDIT_EVENTS, AUDIT_PREFIX, EVENT_TYPES, TEST_EVENT_TYPE } from './event-types';

export { ALL_AUDIT_EVENTS, AUDIT_PREFIX, EVENT_TYPES, TEST_EVENT_TYPE, type EventType } from './event-types';

const auditAction = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** Why `value` is not a subscription an endpoint can hold, or null when it is one. */
export function subscriptionProblem(value: string): string | null {
  if (value === '*' || value === ALL_AUDIT_EVENTS || (EVENT_TYPES as readonly string[]).includes(value)) return null;
  if (value.startsWith(AUDIT_PREFIX) && auditAction.test(value.slice(AUDIT_PREFIX.length))) return null;
  return `${value} is not an event type: use "*", one of ${EVENT_TYPES.join(', ')}, ${ALL_AUDIT_EVENTS} or io.canopy.audit.<action>.`;
}

/** Whether an endpoint subscribed to `events` wants an event of `type`. */
export function wants(events: readonly string[], type: string): boolean {
  if (type === TEST_EVENT_TYPE) return true;
  if (type.startsWith(AUDIT_PREFIX)) return events.includes(type) || events.includes(ALL_AUDIT_EVENTS);
  return events.includes('*') || events.includes(type);
}

/** Waits before the retries: about a day in all, then the delivery is marked failed. */
export const RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000];

/** The wait before retry number `step` (0-based) with ±20% jitter, or null when retries are over. */
export function retryDelay(step: number, random = Math.random): number | null {
  const base = RETRY_SCHEDULE_MS[step];
  if (base === undefined) return null;
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** An endpoint whose attempts have all failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * 3600_000;
/** After Rotate secret the old secret also signs for this long. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3600_000;
export const DELIVERY_TIMEOUT_MS = 10_000;
export const RESPONSE_LOG_BYTES = 512;

/** A Standard Webhooks secret: whsec_ and the base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret
 * (keyed with the bytes after `whsec_`), space-separated when a rotation has two.
 */
export function signatureHeader(secrets: string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
    })
    .join(' ');
}

/**
 * An event id that every instance computes alike for the same condition, so the outbox's
 * unique key (endpoint, event id) lets only one of them queue it.
 */
export function conditionEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // shaped as a UUID (version 8, "custom") so receivers see ids of one form
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// Loopback and private ranges: refused unless CANOPY_WEBHOOK_ALLOW_PRIVATE=true.
const privateRanges = new BlockList();
privateRanges.addSubnet('127.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
privateRanges.addSubnet('100.64.0.0', 10, 'ipv4');
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
// Link-local (cloud metadata lives at 169.254.169.254), "this network", the unspecified
// address, multicast and broadcast: refused always.
const forbiddenRanges = new BlockList();
forbiddenRanges.addSubnet('169.254.0.0', 16, 'ipv4');
forbiddenRanges.addSubnet('0.0.0.0', 8, 'ipv4');
forbiddenRanges.addSubnet('224.0.0.0', 4, 'ipv4');
forbiddenRanges.addAddress('255.255.255.255', 'ipv4');
forbiddenRanges.addSubnet('fe80::', 10, 'ipv6');
forbiddenRanges.addAddress('::', 'ipv6');
forbiddenRanges.addSubnet('ff00::', 8, 'ipv6');

export function allowPrivateTargets(env = process.env): boolean {
  return env.CANOPY_WEBHOOK_ALLOW_PRIVATE === 'true';
}

/** Why a delivery may not connect to `address` (an IP), or null when it may. IPv4-mapped forms count as IPv4. */
export function addressProblem(address: string, allowPrivate = allowPrivateTargets()): string | null {
  const family = isIP(address);
  if (!family) return `${address} is not an IP address.`;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (forbiddenRanges.check(address, type)) return `${address} is a link-local, unspecified or multicast address: webhooks never go there.`;
  if (!allowPrivate && privateRanges.check(address, type)) {
    return `${address} is a loopback or private address: webhooks go there only when CANOPY_WEBHOOK_ALLOW_PRIVATE=true.`;
  }
  return null;
}

/** Why `value` is not a webhook URL (only http and https, no credentials in it), or null. */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, e.g. https://alerts.example.com/canopy.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https URLs are allowed.';
  if (url.username || url.password) return 'Put no credentials in the URL: receivers verify the signature instead.';
  if (!url.hostname) return 'The URL needs a host.';
  return null;
}

// The event types of webhooks (no Node modules here: the portal's forms use them too).
export const AUDIT_PREFIX = 'io.canopy.audit.';

/** The alert types an endpoint can subscribe to (`["*"]` means all of these). */
export const EVENT_TYPES = [
  'io.canopy.connectedRegistry.offline',
  'io.canopy.connectedRegistry.online',
  'io.canopy.connectedRegistry.syncFailed',
  'io.canopy.connectedRegistry.syncStale',
  'io.canopy.connectedRegistry.disabled',
  'io.canopy.connectedRegistry.enabled',
  'io.canopy.token.passwordExpiring',
  'io.canopy.token.passwordExpired',
  'io.canopy.token.disabled',
  'io.canopy.token.enabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent by Send test, to the one endpoint, whatever it subscribed to. */
export const TEST_EVENT_TYPE = 'io.canopy.webhook.test';

/** Every audit event, for SIEM forwarding: opt-in, never implied by "*". */
export const ALL_AUDIT_EVENTS = 'io.canopy.audit.*';

// The checks the registry forms run as the user types. They call the same zod schemas and
// rules the server action validates with, so the browser never has rules of its own; the
// server still checks everything.
import type { z } from 'zod';
import { CONTINUOUS_SCHEDULE } from './rules';
import { createConnectedRegistryInput, PLAIN_SYNC_SETTINGS, plainSyncSettings, type PlainSyncSetting } from './schemas';

const fields = createConnectedRegistryInput.shape;

/** The first message the schema gives for `value`, or null when it is valid. */
export function firstIssue(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'This is not valid.');
}

/** Every invalid entry's message, one per entry (for lists such as repositories). */
export function listIssues(schema: z.ZodType, values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const issue = firstIssue(schema, v);
    if (issue && !out.includes(issue)) out.push(issue);
  }
  return out;
}

/** One entry per line, or separated by commas (the server action splits the same way). */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Whether to show a check's message yet: once the field was left, or at once when the value
 * has a character no valid value can contain (a space, a slash, …).
 */
export function showLive(value: string, left: boolean, impossible: RegExp): boolean {
  return value.length > 0 && (left || impossible.test(value));
}

/** A registry name's message while it is typed (see showLive), or null. */
export function liveNameIssue(value: string, left: boolean): string | null {
  return showLive(value, left, /[^A-Za-z0-9]|^[^A-Za-z]/) ? firstIssue(fields.name, value) : null;
}

/** A host's message (login server, data endpoint: a host name or IP address and an optional port) while it is typed, or null. */
export function liveHostIssue(value: string, left: boolean): string | null {
  return showLive(value, left, /[\s/]/) ? firstIssue(fields.loginServer, value) : null;
}

/** The schedule a sync-schedule field stands for (empty: continuous), and the schema's message for it or null. */
export function checkSchedule(text: string): { schedule: string; issue: string | null } {
  const schedule = text.trim() || CONTINUOUS_SCHEDULE;
  return { schedule, issue: firstIssue(fields.syncSchedule, schedule) };
}

/** The plain settings' issues, by their schemas (with `blankIsFine`, a blank one has none: its default applies). */
export function plainSettingIssues(
  values: Record<PlainSyncSetting, string>,
  { blankIsFine = false }: { blankIsFine?: boolean } = {},
): Record<PlainSyncSetting, string | null> {
  return Object.fromEntries(
    PLAIN_SYNC_SETTINGS.map((k) => [k, blankIsFine && !values[k].trim() ? null : firstIssue(plainSyncSettings.shape[k], values[k])]),
  ) as Record<PlainSyncSetting, string | null>;
}

// The checks the registry forms run as the user types. They call the same zod schemas and
// rules the server action validates with, so the browser never has rules of its own; the
// server still checks everything.
import type { z } from 'zod';

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

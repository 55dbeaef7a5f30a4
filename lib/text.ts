// The one text rule at the boundary. Every input Canopy accepts (JSON bodies, query strings,
// path parameters, form fields, cursors, credentials) passes through it before any rule or any
// query sees it, so that a NUL byte (which PostgreSQL cannot store), a control character or an
// over-long string is a 400 with a clear message — never a 500 — and nothing is written.
import { z } from 'zod';

/** No single text Canopy takes is longer; fields have their own, smaller limits on top. */
export const MAX_TEXT_LENGTH = 4096;

// C0 controls except tab, line feed and carriage return, and DEL
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// bidirectional overrides and isolates, and zero-width characters: they make a name display as
// something it is not (`admin\u202Egnp.exe`), so names and descriptions refuse them
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** What is wrong with a text at the boundary, or null. */
export function textProblem(value: string, max = MAX_TEXT_LENGTH): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL byte.';
  if (CONTROL.test(value)) return 'must not contain control characters.';
  if (value.length > max) return `is too long (at most ${max} characters).`;
  return null;
}

/** Whether a credential-like text (a user name, a password) can be looked up at all. */
export function isAcceptableText(value: string, max = MAX_TEXT_LENGTH): boolean {
  return textProblem(value, max) === null;
}

/** The first bad string in a parsed input (keys included), with the path to it, or null. */
export function findTextProblem(value: unknown, path: string[] = [], depth = 0): { field: string; message: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path.join('.'), message: `${path.length ? 'This value' : 'The input'} ${problem}` } : null;
  }
  if (depth > 20) return { field: path.join('.'), message: 'The input is nested too deeply.' };
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findTextProblem(item, [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key, 200);
      if (keyProblem) return { field: path.join('.'), message: `A field name ${keyProblem}` };
      const found = findTextProblem(item, [...path, key], depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** Whether a text holds bidirectional-override or zero-width characters. */
export function hasInvisibleCharacters(value: string): boolean {
  return INVISIBLE.test(value);
}

/** A free-text name: trimmed, 1..max characters, no invisible or direction-changing characters. */
export function nameText(max: number, empty = 'Enter a name.') {
  return z
    .string()
    .trim()
    .min(1, empty)
    .max(max, `At most ${max} characters.`)
    .refine((v) => !hasInvisibleCharacters(v), 'Remove the invisible or text-direction characters (zero-width, bidi overrides).');
}

/** A description: trimmed, at most max characters, no invisible or direction-changing characters. */
export function descriptionText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .refine((v) => !hasInvisibleCharacters(v), 'Remove the invisible or text-direction characters (zero-width, bidi overrides).');
}

/**
 * A path segment as the portal's pages receive it, decoded once. Route handlers get their
 * parameters decoded already (decoding again turns `a%25` into a URIError, or into another name);
 * a page's parameter may still be encoded, and a stray `%` in it stays as it is.
 */
export function decodePathSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Prisma passes `contains` and `startsWith` values into SQL LIKE patterns as they are, so a
// filter of `%` or `_` would match everything: these escape the wildcards first.

/** Escapes LIKE's wildcards (`%`, `_`) and its escape character (`\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A case-insensitive "contains" filter that matches the text literally. */
export function containsText(value: string) {
  return { contains: escapeLike(value), mode: 'insensitive' as const };
}

/** A "starts with" filter that matches the text literally. */
export function startsWithText(value: string) {
  return { startsWith: escapeLike(value) };
}

/**
 * A name filter that ignores case, as every name in Canopy does (ACR's names do too): Prisma
 * compares `LOWER(name) IN (LOWER(value))`, the expression the unique indexes are on. Never
 * `{ equals, mode: 'insensitive' }`: Prisma sends that as ILIKE, where `_` and `%` are wildcards.
 */
export function sameName(value: string) {
  return { in: [value], mode: 'insensitive' as const };
}

/** `sameName` for several names at once. */
export function sameNames(values: string[]) {
  return { in: values, mode: 'insensitive' as const };
}

import { z } from 'zod';
import { ValidationError, assertCleanText } from '@/lib/errors';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export type Page<T> = { items: T[]; next: string | null };

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string | undefined): z.output<S> | undefined {
  if (!cursor) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    assertCleanText(decoded);
    return schema.parse(decoded);
  } catch {
    throw ValidationError.field('cursor', 'The cursor is not one this API gave out.');
  }
}

/** Rows were fetched with `take: limit + 1`; cut the extra one and make the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, cursorOf: (row: R) => unknown, toItem: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), next: more ? encodeCursor(cursorOf(kept[kept.length - 1])) : null };
}

/**
 * For the portal's list pages: a `cursor` in the URL that is not one Canopy gave out (a
 * hand-edited or truncated link) shows the first page instead of failing the page.
 */
export async function listFromPageLink<Q extends { cursor?: string }, P extends Page<unknown>>(
  query: Q,
  list: (query: Q) => Promise<P>,
): Promise<{ page: P; query: Q; cursorRejected: boolean }> {
  try {
    return { page: await list(query), query, cursorRejected: false };
  } catch (error) {
    if (!query.cursor || !(error instanceof ValidationError) || !error.details.some((d) => d.field === 'cursor')) throw error;
    const first = { ...query, cursor: undefined };
    return { page: await list(first), query: first, cursorRejected: true };
  }
}

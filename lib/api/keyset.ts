// Sorted lists with cursors both ways (keyset pagination): a list is ordered by one sort key and
// then by name (unique within a cloud registry), and a cursor holds the key and name of the row
// it continues from, so a page is an index range whatever its depth. Every sort key has an index
// (cloudRegistryId, key, name) (prisma/migrations/*_list_sort_indexes); nullable keys (last
// activity, last use) sort their never-set rows first ascending and last descending, as their
// NULLS FIRST index reads either way. Counts stop at COUNT_CAP, so that no list counts 200,000 rows.
import { z } from 'zod';
import { ValidationError } from '@/lib/errors';
import { decodeCursor, encodeCursor, type Page } from './pagination';

export type SortOrder = 'asc' | 'desc';

export type SortKey = {
  /** the column (Prisma field) */
  field: string;
  type: 'text' | 'date' | 'enum';
  nullable?: boolean;
  /** for an enum: its values in the database's order */
  values?: readonly string[];
  /** the order when the query names none */
  order: SortOrder;
};

export type SortKeys = Record<string, SortKey>;

/** A list's page: the usual `items` and `next`, and `prev`, and how many match (at most COUNT_CAP). */
export type SortedPage<T> = Page<T> & {
  prev: string | null;
  total: number;
  /** there are more than `total` (the count stopped at COUNT_CAP) */
  totalCapped: boolean;
};

export const COUNT_CAP = 1000;

const cursorSchema = z.object({
  s: z.string(),
  o: z.enum(['asc', 'desc']),
  v: z.string().nullable(),
  n: z.string(),
  /** a cursor to the page before this row */
  b: z.literal(1).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

export type SortPlan = {
  where: Record<string, unknown> | undefined;
  orderBy: Record<string, unknown>[];
  /** rows come in reverse (a page before a row): reverse them after reading */
  backward: boolean;
  sort: string;
  order: SortOrder;
  key: SortKey;
  cursor: Cursor | undefined;
};

/**
 * What to ask the database for: the cursor's condition (in Prisma's where form) and the order.
 * A cursor made for another sort or order is refused like any cursor Canopy did not give out.
 */
export function sortPlan(keys: SortKeys, query: { sort?: string; order?: SortOrder; cursor?: string }): SortPlan {
  const sort = query.sort ?? 'name';
  const key = keys[sort];
  const order = query.order ?? key.order;
  const cursor = decodeCursor(cursorSchema, query.cursor);
  if (cursor && (cursor.s !== sort || cursor.o !== order)) {
    throw ValidationError.field('cursor', 'The cursor belongs to another sort: start again from the first page.');
  }
  const backward = cursor?.b === 1;
  // reading backwards is reading the other order forwards
  const ascending = (order === 'asc') !== backward;
  return {
    where: cursor ? beyond(key, cursor, ascending) : undefined,
    orderBy: orderOf(key, ascending),
    backward,
    sort,
    order,
    key,
    cursor,
  };
}

function orderOf(key: SortKey, ascending: boolean): Record<string, unknown>[] {
  const dir = ascending ? 'asc' : 'desc';
  if (key.field === 'name') return [{ name: dir }];
  // nulls are the smallest: first ascending, last descending
  const first = key.nullable ? { sort: dir, nulls: ascending ? 'first' : 'last' } : dir;
  return [{ [key.field]: first }, { name: dir }];
}

function parseValue(key: SortKey, value: string): unknown {
  if (key.type === 'date') {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw ValidationError.field('cursor', 'The cursor is not one this API gave out.');
    return date;
  }
  if (key.type === 'enum' && !key.values?.includes(value)) {
    throw ValidationError.field('cursor', 'The cursor is not one this API gave out.');
  }
  return value;
}

/** The rows after the cursor's row in ascending order (`ascending`), or before it (descending). */
function beyond(key: SortKey, cursor: Cursor, ascending: boolean): Record<string, unknown> {
  const nameBeyond = { name: ascending ? { gt: cursor.n } : { lt: cursor.n } };
  if (key.field === 'name') return nameBeyond;
  const f = key.field;
  if (cursor.v === null) {
    if (!key.nullable) throw ValidationError.field('cursor', 'The cursor is not one this API gave out.');
    // nulls come first: after them come every set value; before a null, only nulls
    return ascending ? { OR: [{ [f]: null, ...nameBeyond }, { [f]: { not: null } }] } : { [f]: null, ...nameBeyond };
  }
  const value = parseValue(key, cursor.v);
  let strictly: Record<string, unknown>;
  if (key.type === 'enum') {
    const values = key.values!;
    const at = values.indexOf(cursor.v);
    strictly = { [f]: { in: ascending ? values.slice(at + 1) : values.slice(0, at) } };
  } else {
    strictly = { [f]: ascending ? { gt: value } : { lt: value } };
  }
  const alternatives = [strictly, { [f]: value, ...nameBeyond }];
  if (!ascending && key.nullable) alternatives.push({ [f]: null });
  return { OR: alternatives };
}

function cursorValue(key: SortKey, row: Record<string, unknown>): string | null {
  const v = row[key.field];
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : String(v);
}

/**
 * The page from rows read with `take: limit + 1` in the plan's order: items in the list's order,
 * `next` after the last, `prev` before the first (null on the first page).
 */
export function sortedPage<R extends { name: string }, T>(
  plan: SortPlan,
  rows: R[],
  limit: number,
  count: number,
  toItem: (row: R) => T,
): SortedPage<T> {
  const more = rows.length > limit;
  let kept = more ? rows.slice(0, limit) : rows;
  if (plan.backward) kept = [...kept].reverse();
  const make = (row: R, before: boolean) =>
    encodeCursor({
      s: plan.sort,
      o: plan.order,
      v: plan.key.field === 'name' ? null : cursorValue(plan.key, row as Record<string, unknown>),
      n: row.name,
      ...(before ? { b: 1 } : {}),
    });
  const first = kept[0];
  const last = kept[kept.length - 1];
  // forward: more rows follow when the extra row came; rows precede when we came from a cursor.
  // backward: rows precede when the extra row came; the cursor's own row follows.
  const hasNext = plan.backward ? Boolean(plan.cursor) : more;
  const hasPrev = plan.backward ? more : Boolean(plan.cursor);
  return {
    items: kept.map(toItem),
    next: hasNext && last ? make(last, false) : null,
    prev: hasPrev && first ? make(first, true) : null,
    total: Math.min(count, COUNT_CAP),
    totalCapped: count > COUNT_CAP,
  };
}

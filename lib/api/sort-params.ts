// The `sort` and `order` parameters of the sorted lists (lib/api/keyset.ts): zod alone, so that
// the input schemas that client components import stay free of server code.
import { z } from 'zod';

/** Both optional: the list sorts by name, and each key has its own order (names and states asc, times desc). */
export function sortParams<K extends string>(keys: readonly [K, ...K[]]) {
  return {
    sort: z.enum(keys).optional().describe('sort key (default name); ties are ordered by name'),
    order: z.enum(['asc', 'desc']).optional().describe('asc or desc (default: the sort key’s own: names and states asc, times desc)'),
  };
}

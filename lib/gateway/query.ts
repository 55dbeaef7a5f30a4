import type { z } from 'zod';
import { parseInput } from '@/lib/errors';

/** Validates the query string of a gateway request. */
export function readQueryString<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseInput(schema, Object.fromEntries(new URL(req.url).searchParams));
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError } from '@/lib/errors';
import { decodeCursor, encodeCursor, listFromPageLink, type Page } from './pagination';

const cursorSchema = z.object({ name: z.string() });
const names = ['a', 'b', 'c'];
/** A list by name that pages like the real ones (one item a page). */
async function list(query: { cursor?: string }): Promise<Page<string>> {
  const after = decodeCursor(cursorSchema, query.cursor)?.name;
  const rest = names.filter((n) => after === undefined || n > after);
  return { items: rest.slice(0, 1), next: rest.length > 1 ? encodeCursor({ name: rest[0] }) : null };
}

describe('listFromPageLink', () => {
  it('follows a cursor Canopy gave out', async () => {
    const result = await listFromPageLink({ cursor: encodeCursor({ name: 'a' }) }, list);
    expect(result).toMatchObject({ page: { items: ['b'] }, cursorRejected: false });
  });

  it.each(['not-a-cursor', '!!!', encodeCursor({ id: 1 }), encodeCursor({ name: 'x\u0000' })])(
    'shows the first page for the malformed cursor %s',
    async (cursor) => {
      const result = await listFromPageLink({ cursor, kind: 'all' }, list);
      expect(result.page.items).toEqual(['a']);
      expect(result.cursorRejected).toBe(true);
      expect(result.query).toEqual({ kind: 'all', cursor: undefined });
    },
  );

  it('lets any other error through', async () => {
    await expect(
      listFromPageLink({ cursor: 'x' }, () => Promise.reject(new NotFoundError('Cloud registry "gone"'))),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

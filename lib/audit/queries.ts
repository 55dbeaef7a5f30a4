import 'server-only';
import { z } from 'zod';
import { decodeCursor, toPage, type Page } from '@/lib/api/pagination';
import { getDb } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { containsText, startsWithText } from '@/lib/db/like';
import type { AuditEventDto, AuditQuery } from './schemas';

// At most 18 digits: always within PostgreSQL's bigint, so a forged cursor is a 400, not a 500.
const cursorSchema = z.object({ id: z.string().regex(/^\d{1,18}$/) });

export async function listAuditEvents(query: AuditQuery): Promise<Page<AuditEventDto>> {
  const cursor = decodeCursor(cursorSchema, query.cursor);
  const where: Prisma.AuditEventWhereInput = {
    ...(query.actor ? { actorName: containsText(query.actor) } : {}),
    ...(query.action ? { action: startsWithText(query.action) } : {}),
    ...(query.target ? { targetName: containsText(query.target) } : {}),
    ...(cursor ? { id: { lt: BigInt(cursor.id) } } : {}),
  };
  const rows = await getDb().auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: query.limit + 1 });
  return toPage(
    rows,
    query.limit,
    (r) => ({ id: r.id.toString() }),
    (r) => ({
      id: r.id.toString(),
      time: r.time.toISOString(),
      actor: r.actorName,
      action: r.action,
      targetType: r.targetType,
      targetName: r.targetName,
      registry: r.registry,
      details: r.details,
      requestId: r.requestId,
    }),
  );
}

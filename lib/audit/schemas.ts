// The audit log's query and the event DTO it answers with: one zod schema each, the types
// inferred, the OpenAPI document built from them.
import { z } from 'zod';
import { pageQuery } from '@/lib/api/pagination';

export const auditQuery = pageQuery.extend({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(200).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEventDto = z.object({
  id: z.string(),
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetName: z.string(),
  registry: z.string().nullable(),
  details: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEventDto = z.infer<typeof auditEventDto>;

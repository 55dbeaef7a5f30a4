import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { auditQuery, listAuditEvents } from '@/lib/audit/queries';

export const GET = apiRoute({ role: 'Reader' }, async ({ req }) => json(await listAuditEvents(readQuery(req, auditQuery))));

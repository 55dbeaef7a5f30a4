import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { auditQuery } from '@/lib/audit/schemas';
import { listAuditEvents } from '@/lib/audit/queries';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute({}, async ({ req }) => json(await listAuditEvents(readQuery(req, auditQuery))));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

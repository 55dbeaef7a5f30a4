// Every /api/v1 operation, for the OpenAPI document. Request schemas are the ones the
// handlers validate with; response schemas describe the DTOs the services return.
import { z } from 'zod';
import { createAdminInput, updateAdminInput } from '@/lib/admins/service';
import { auditQuery } from '@/lib/audit/queries';
import { createAccessTokenInput } from '@/lib/auth/access-tokens';
import { pageOf, type Operation } from './openapi';

const accessToken = z.object({ name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
const auditEvent = z.object({
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
const admin = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['Owner', 'Contributor', 'Reader']),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});

export const operations: Operation[] = [
  {
    method: 'post', path: '/api/v1/access-tokens', tag: 'Access tokens', auth: 'basic-or-bearer',
    summary: 'Create an access token for the calling admin; the value is shown once',
    body: createAccessTokenInput, noStore: true, errors: [409, 429],
    response: { status: 201, description: 'Created', schema: z.object({ name: z.string(), token: z.string(), createdAt: z.string() }) },
  },
  {
    method: 'get', path: '/api/v1/access-tokens', tag: 'Access tokens', summary: 'List the calling admin’s access tokens (never their values)',
    response: { status: 200, description: 'The tokens', schema: pageOf(accessToken) },
  },
  {
    method: 'delete', path: '/api/v1/access-tokens/{name}', tag: 'Access tokens', pathParams: ['name'], summary: 'Revoke an access token',
    errors: [404], response: { status: 204, description: 'Revoked' },
  },
  {
    method: 'get', path: '/api/v1/audit-events', tag: 'Audit', summary: 'List audit events, newest first',
    query: auditQuery, response: { status: 200, description: 'A page of events', schema: pageOf(auditEvent) },
  },
  {
    method: 'get', path: '/api/v1/admins', tag: 'Admins', summary: 'List admins (Owner)', errors: [403],
    response: { status: 200, description: 'The admins', schema: pageOf(admin) },
  },
  {
    method: 'post', path: '/api/v1/admins', tag: 'Admins', summary: 'Add an admin (Owner)', body: createAdminInput, errors: [403, 409],
    response: { status: 201, description: 'Created', schema: admin },
  },
  {
    method: 'patch', path: '/api/v1/admins/{email}', tag: 'Admins', pathParams: ['email'], summary: 'Change an admin’s role or disable it (Owner)',
    body: updateAdminInput, errors: [403, 404, 409], response: { status: 200, description: 'Updated', schema: admin },
  },
];

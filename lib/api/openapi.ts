// The OpenAPI 3.1 description of /api/v1, generated from the same zod schemas that validate
// the requests. Each domain adds its operations to `operations` in lib/api/operations.ts.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@/lib/errors';

export type Operation = {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth?: 'bearer' | 'basic-or-bearer';
  pathParams?: string[];
  query?: z.ZodObject;
  body?: z.ZodType;
  response: { status: number; description: string; schema?: z.ZodType };
  /** the error statuses this operation can answer besides 400/401/500 */
  errors?: number[];
  noStore?: boolean;
};

const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

const errorSchema = z.object({
  error: z.object({
    // the closed list of codes, each with what it means
    code: z.enum(errorCodes).describe(errorCodes.map((c) => `\`${c}\`: ${ERROR_CODES[c]}`).join('; ')),
    message: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() })),
  }),
});

function schemaOf(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input; `details` names each bad field',
  401: 'Missing or invalid credentials',
  403: 'The role does not allow this',
  404: 'Not found',
  409: 'The name is taken, or a rule of the domain refuses the change',
  429: 'Too many failed attempts; see Retry-After',
  500: 'Unexpected error (logged with the request id)',
};

export function openApiDocument(operations: Operation[], serverUrl = '/') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...(op.pathParams ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, s]) => ({
        name,
        in: 'query',
        required: !(s as z.ZodType).safeParse(undefined).success,
        schema: schemaOf(s as z.ZodType, 'input'),
      })),
    ];
    const responses: Record<string, unknown> = {
      [op.response.status]: {
        description: op.response.description,
        ...(op.noStore ? { headers: { 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } } } : {}),
        ...(op.response.schema ? { content: { 'application/json': { schema: schemaOf(op.response.schema, 'output') } } } : {}),
      },
    };
    for (const status of [400, 401, ...(op.errors ?? []), 500]) {
      responses[status] = {
        description: errorDescriptions[status],
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: op.auth === 'basic-or-bearer' ? [{ basic: [] }, { bearer: [] }] : [{ bearer: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Canopy API',
      version: '1',
      description:
        'The control plane for connected container registries. Authenticate with `Authorization: Bearer <access token>`; ' +
        'create one in Settings or with `POST /api/v1/access-tokens` and HTTP Basic (admin email and password). ' +
        'Lists answer `{"items": [...], "next": <cursor|null>}` and take `limit` and `cursor`.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An admin access token (acts with its admin’s role)' },
        basic: { type: 'http', scheme: 'basic', description: 'Admin email and password; only for creating access tokens' },
      },
      schemas: { Error: schemaOf(errorSchema, 'output') },
    },
    paths,
  };
}

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });
/** A sorted list's page (lib/api/keyset.ts): also the cursor of the page before, and how many match, counted up to 1,000. */
export const sortedPageOf = <T extends z.ZodType>(item: T) =>
  pageOf(item).extend({
    prev: z.string().nullable().describe('cursor of the page before this one; null on the first page'),
    total: z.number().int().describe('how many match the filters, counted up to 1,000'),
    totalCapped: z.boolean().describe('true: more than `total` match (shown as "1,000+")'),
  });

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '@/lib/errors';
import { openApiDocument, type Operation } from './openapi';
import { operations } from './operations';

type OperationObject = {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: {
    required: boolean;
    content: {
      'application/json': {
        schema: { type?: string; required?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown };
      };
    };
  };
  responses: Record<string, { description: string; content?: { 'application/json': { schema: Record<string, unknown> } } }>;
};

const document = openApiDocument(operations);
const operation = (method: string, path: string) => document.paths[path]?.[method] as OperationObject | undefined;
const allOperations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method, path, op: op as OperationObject })),
);

describe('the OpenAPI document of /api/v1', () => {
  it('is OpenAPI 3.1.0 with bearer and basic security schemes and the shared Error schema', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Canopy API');
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.basic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(document.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(document.components.schemas.Error).not.toHaveProperty('$schema');
  });

  it('lists the closed set of error codes in the Error schema, each with what it means', () => {
    const errorSchema = openApiDocument(operations).components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[]; description: string } } } };
    };
    const code = errorSchema.properties.error.properties.code;
    expect(code.enum).toEqual(Object.keys(ERROR_CODES));
    expect(code.enum).toEqual(expect.arrayContaining(['invalid_request', 'readonly_violation', 'login_server_taken', 'internal_error']));
    expect(code.description).toContain('`readonly_violation`: A ReadOnly registry');
  });

  it('describes every operation listed in operations.ts, each once', () => {
    expect(allOperations).toHaveLength(operations.length);
    for (const op of operations) expect(operation(op.method, op.path), `${op.method} ${op.path}`).toBeDefined();
    const ids = allOperations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation its success response plus 400, 401 and 500 in the Error format', () => {
    for (const { method, path, op } of allOperations) {
      const declared = operations.find((o) => o.method === method && o.path === path)!;
      const statuses = Object.keys(op.responses);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining([String(declared.response.status), '400', '401', '500']));
      for (const status of ['400', '401', '500', ...(declared.errors ?? []).map(String)]) {
        expect(op.responses[status].content?.['application/json'].schema, `${method} ${path} ${status}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
        expect(op.responses[status].description).toEqual(expect.any(String));
      }
    }
  });

  it('requires `name` in the body of POST /api/v1/access-tokens and accepts HTTP Basic there', () => {
    const post = operation('post', '/api/v1/access-tokens')!;
    const schema = post.requestBody!.content['application/json'].schema;
    expect(post.requestBody!.required).toBe(true);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['name']);
    expect(schema.properties).toHaveProperty('name');
    expect(schema.additionalProperties).toBe(false);
    expect(post.security).toEqual([{ basic: [] }, { bearer: [] }]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '409', '429']));
  });

  it('lists the query parameters of GET /api/v1/audit-events, limit and cursor optional', () => {
    const params = operation('get', '/api/v1/audit-events')!.parameters!;
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'actor', 'action', 'target']));
    for (const p of params) {
      expect(p.in).toBe('query');
      expect(p.required).toBe(false);
    }
    expect(params.find((p) => p.name === 'limit')!.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
  });

  it('declares path parameters as required strings', () => {
    const revoke = operation('delete', '/api/v1/access-tokens/{name}')!;
    expect(revoke.parameters).toEqual([{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(revoke.responses['204']).toEqual({ description: 'Revoked' });
    expect(revoke.security).toEqual([{ bearer: [] }]);
  });

  it('marks a query parameter required when its schema refuses undefined', () => {
    const op: Operation = {
      method: 'get',
      path: '/api/v1/things',
      tag: 'Test',
      summary: 'Things',
      query: z.object({ must: z.string(), may: z.string().optional() }),
      response: { status: 200, description: 'OK' },
    };
    const params = (openApiDocument([op]).paths['/api/v1/things'].get as OperationObject).parameters!;
    expect(params.map((p) => [p.name, p.required])).toEqual([
      ['must', true],
      ['may', false],
    ]);
  });

  it('says no-store on responses that carry a secret', () => {
    const created = operation('post', '/api/v1/access-tokens')!.responses['201'] as { headers?: Record<string, unknown> };
    expect(created.headers).toEqual({ 'Cache-Control': { schema: { type: 'string', const: 'no-store' } } });
  });
});

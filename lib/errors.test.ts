import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, ConflictError, NotFoundError, RateLimitedError, ValidationError, isUniqueViolation, parseInput } from './errors';

const schema = z.object({
  name: z.string().min(5, 'At least 5 characters.'),
  sync: z.object({ window: z.string({ error: 'Required.' }) }),
  tags: z.array(z.string()).optional(),
});

describe('ValidationError.fromZod', () => {
  it('maps every issue to a detail with its dotted field path', () => {
    const result = schema.safeParse({ name: 'abc', sync: {}, tags: ['ok', 7] });
    expect(result.success).toBe(false);
    const error = ValidationError.fromZod(result.error!);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual([
      { field: 'name', message: 'At least 5 characters.' },
      { field: 'sync.window', message: 'Required.' },
      { field: 'tags.1', message: expect.any(String) },
    ]);
    expect(error.message).toBe('name: At least 5 characters.');
  });

  it('leaves the field out for an issue about the whole input', () => {
    const result = z.string().safeParse(5);
    const error = ValidationError.fromZod(result.error!);
    expect(error.details).toHaveLength(1);
    expect(error.details[0].field).toBeUndefined();
    expect(error.message).toBe(error.details[0].message);
  });
});

describe('ValidationError.field', () => {
  it('names the one field the rule is about', () => {
    const error = ValidationError.field('name', 'This name is taken.');
    expect(error.details).toEqual([{ field: 'name', message: 'This name is taken.' }]);
    expect(error.message).toBe('This name is taken.');
  });
});

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'hello', sync: { window: 'PT1H' } })).toEqual({ name: 'hello', sync: { window: 'PT1H' } });
  });

  it('throws a ValidationError for input that does not fit', () => {
    expect(() => parseInput(schema, { name: 'hi', sync: { window: 'PT1H' } })).toThrow(ValidationError);
    try {
      parseInput(schema, { name: 'hi', sync: { window: 'PT1H' } });
    } catch (error) {
      expect((error as ValidationError).details.map((d) => d.field)).toEqual(['name']);
    }
  });
});

describe('error classes', () => {
  it('carry their status, stable code and name', () => {
    const cases: [AppError, number, string][] = [
      [new NotFoundError('Token "x"'), 404, 'not_found'],
      [new ConflictError('taken'), 409, 'conflict'],
      [new ConflictError('busy', [], 'in_use'), 409, 'in_use'],
      [new RateLimitedError(30), 429, 'rate_limited'],
    ];
    for (const [error, status, code] of cases) {
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new NotFoundError('Token "x"').message).toBe('Token "x" was not found.');
    expect(new RateLimitedError(30).retryAfterSeconds).toBe(30);
  });
});

describe('isUniqueViolation', () => {
  it('recognizes Prisma’s P2002 and nothing else', () => {
    expect(isUniqueViolation({ code: 'P2002' })).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(true);
    expect(isUniqueViolation({ code: 'P2025' })).toBe(false);
    expect(isUniqueViolation(new Error('P2002'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('P2002')).toBe(false);
  });
});

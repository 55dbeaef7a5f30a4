// Expected errors: a rule refused the request. Their messages are written for the user and
// travel to the form or the JSON body with a stable code. Anything else is unexpected: it is
// logged with the request id and replaced by a generic message.
import { z } from 'zod';

export type ErrorDetail = { field?: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'invalid_request', message, details);
  }
  static fromZod(error: z.ZodError): ValidationError {
    const details = error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : undefined,
      message: issue.message,
    }));
    const first = details[0];
    const summary = first ? (first.field ? `${first.field}: ${first.message}` : first.message) : 'Invalid input';
    return new ValidationError(summary, details);
  }
  /** A rule about one field (for example a name that is taken). */
  static field(field: string, message: string): ValidationError {
    return new ValidationError(message, [{ field, message }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in or send a valid access token.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: ErrorDetail[] = [], code = 'conflict') {
    super(409, code, message, details);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** Parses with a zod schema, turning a failure into a ValidationError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

/** Prisma's unique-constraint violation, raised when two requests race for one name. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

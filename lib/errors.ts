// Expected errors: a rule refused the request. Their messages are written for the user and
// travel to the form or the JSON body with a stable code. Anything else is unexpected: it is
// logged with the request id and replaced by a generic message.
import { z } from 'zod';
import { findTextProblem } from '@/lib/text';

export type ErrorDetail = { field?: string; message: string };

/**
 * Every `code` an error answer carries, with what it means: a closed list, published in the
 * OpenAPI document (lib/api/openapi.ts). A new rule that refuses something adds its code here.
 */
export const ERROR_CODES = {
  invalid_request: 'The input is invalid; `details` names each bad field',
  unauthorized: 'Missing or invalid credentials',
  invalid_credentials: 'The email or password is wrong',
  forbidden: 'The role does not allow this',
  not_found: 'Not found',
  method_not_allowed: 'The method is not allowed here; see Allow',
  conflict: 'The name is taken, or the change conflicts with the current state',
  readonly_violation: 'A ReadOnly registry accepts read-only tokens and syncs read actions only',
  in_use: 'Still used (by tokens or registries): change those first',
  sync_token: 'A sync token goes with its connected registry',
  sync_scope_map: 'A sync scope map goes with its connected registry',
  system_scope_map: 'System scope maps cannot be edited or deleted',
  too_many_permissions: 'A scope map holds at most 500 repository permissions',
  gateway_outside_subtree: 'A sync scope map carries gateway actions only for its registry’s subtree',
  own_gateway_action: 'A registry’s own gateway actions stay in its sync scope map',
  descendant_gateway_action: 'Gateway actions carried for a registry below stay',
  webhook_disabled: 'The webhook is disabled',
  login_server_taken: 'The login server belongs to another registry',
  account_disabled: 'The admin account is disabled',
  registry_disabled: 'The connected registry is disabled (its sync token is disabled)',
  already_active: 'The connected registry is active as another instance: deactivate it first',
  not_active: 'The connected registry is not active: fetch its configuration first',
  sync_in_progress: 'The connected registry is syncing already',
  sync_token_other_registry: 'The sync token to adopt belongs to another cloud registry',
  sync_token_disabled: 'The sync token to adopt is disabled',
  sync_token_in_use: 'The sync token to adopt is another registry’s sync token',
  client_token: 'The sync token to adopt is a client token',
  scope_map_shared: 'The sync token to adopt shares its scope map',
  no_repositories: 'The scope map grants no repository',
  payload_too_large: 'The request body is too large',
  rate_limited: 'Too many failed attempts; see Retry-After',
  database_unavailable: 'The database cannot be reached; see Retry-After',
  internal_error: 'Unexpected error (logged with the request id)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
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
  constructor(message: string, details: ErrorDetail[] = [], code: ErrorCode = 'conflict') {
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
  assertCleanText(input);
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

/** Refuses any NUL byte, control character or over-long string anywhere in an input (400). */
export function assertCleanText(input: unknown): void {
  const problem = findTextProblem(input);
  if (problem) {
    const message = problem.field ? `${problem.field}: ${problem.message}` : problem.message;
    throw new ValidationError(message, [{ field: problem.field || undefined, message: problem.message }]);
  }
}

/**
 * PostgreSQL refusing a text it cannot store or index (a NUL byte, 22021; an index row too
 * large, 54000): a bad input that got past the boundary, answered as one (400), not as a 500.
 */
export function isUnstorableText(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? null)}` : '';
  return /22021|54000|invalid byte sequence for encoding|index row size|index row requires/.test(text);
}

/** Prisma's unique-constraint violation, raised when two requests race for one name. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

// Access tokens' input and DTOs: one zod schema each, the types inferred, the OpenAPI document
// built from them.
import { z } from 'zod';

export const accessTokenName = z
  .string()
  .trim()
  .min(1, 'Give the access token a name.')
  .max(64, 'At most 64 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, ".", "_" and "-", starting with a letter or digit.');

export const createAccessTokenInput = z.object({ name: accessTokenName }).strict();
export type CreateAccessTokenInput = z.infer<typeof createAccessTokenInput>;

/** An access token as its admin sees it: never its value. */
export const accessTokenDto = z.object({ name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
export type AccessTokenDto = z.infer<typeof accessTokenDto>;

/** A new access token: its value is shown this once. */
export const createdAccessTokenDto = z.object({ name: z.string(), token: z.string(), createdAt: z.string() });

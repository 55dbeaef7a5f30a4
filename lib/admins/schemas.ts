// Admins' inputs and the DTO the API and the Admins page show: one zod schema each, the types
// inferred, the OpenAPI document built from them.
import { z } from 'zod';
import { nameText } from '@/lib/text';

export const adminRoles = ['Owner', 'Contributor', 'Reader'] as const;

export const createAdminInput = z
  .object({
    email: z.email('Enter a valid email address.').max(254),
    name: nameText(100),
    password: z.string().min(12, 'At least 12 characters.').max(200, 'At most 200 characters.'),
    role: z.enum(adminRoles),
  })
  .strict();

export const updateAdminInput = z.object({ role: z.enum(adminRoles).optional(), disabled: z.boolean().optional() }).strict();

export type CreateAdminInput = z.infer<typeof createAdminInput>;
export type UpdateAdminInput = z.infer<typeof updateAdminInput>;

/** An admin as the API and the Admins page show it: never its password hash. */
export const adminDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(adminRoles),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type AdminDto = z.infer<typeof adminDto>;

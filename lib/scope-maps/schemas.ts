// Scope maps' inputs (REST bodies and queries, form fields) and the DTO the reads answer with:
// one zod schema each, the types inferred, the OpenAPI document built from them. No database.
import { z } from 'zod';
import { sortParams } from '@/lib/api/sort-params';
import { descriptionText } from '@/lib/text';
import { validateActions } from './grammar';

export const scopeMapName = z
  .string()
  .trim()
  // 60: room for "<token>-scope-map", the map a token created with inline permissions gets
  .regex(/^[A-Za-z0-9_-]{5,60}$/, 'Use 5–60 letters, digits, "-" and "_".');
const description = descriptionText(256);
const action = z.string().trim().min(1).max(600);

function actionsIssue(actions: string[] | undefined, path: string, ctx: z.RefinementCtx) {
  for (const message of validateActions(actions ?? [])) ctx.addIssue({ code: 'custom', path: [path], message });
}

export const createScopeMapInput = z
  .object({
    name: scopeMapName,
    description: description.optional(),
    actions: z.array(action).min(1, 'A scope map needs at least one action.').max(2000),
  })
  .strict()
  .superRefine((v, ctx) => actionsIssue(v.actions, 'actions', ctx));
export type CreateScopeMapInput = z.infer<typeof createScopeMapInput>;

export const updateScopeMapInput = z
  .object({
    addActions: z.array(action).max(2000).optional(),
    removeActions: z.array(action).max(2000).optional(),
    description: description.nullable().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    actionsIssue(v.addActions, 'addActions', ctx);
    const both = (v.addActions ?? []).filter((a) => (v.removeActions ?? []).includes(a));
    if (both.length)
      ctx.addIssue({ code: 'custom', path: ['removeActions'], message: `${both.join(', ')} cannot be both added and removed.` });
  });
export type UpdateScopeMapInput = z.infer<typeof updateScopeMapInput>;

export const listScopeMapsQuery = z.object({
  kind: z.enum(['all', 'system', 'sync', 'user']).default('all'),
  q: z.string().trim().max(50).optional(),
  ...sortParams(['name', 'created']),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListScopeMapsQuery = z.infer<typeof listScopeMapsQuery>;

/** A scope map as the API and the portal show it. */
export const scopeMapDto = z.object({
  name: z.string(),
  description: z.string().nullable(),
  actions: z.array(z.string()),
  // the system scope maps cannot be edited or deleted
  system: z.boolean(),
  // the connected registry whose sync scope map this is (managed by its permissions)
  syncRegistry: z.string().nullable(),
  tokenCount: z.number(),
  // in lists the count stops at 1,000: true when more tokens use the map (shown as "1,000+")
  tokenCountCapped: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScopeMapDto = z.infer<typeof scopeMapDto>;

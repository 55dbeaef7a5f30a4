// Tokens' inputs (REST bodies and queries, server actions' fields) and the DTOs the reads and
// writes answer with: one zod schema each, the types inferred, the OpenAPI document built from
// them. No database and no Next.js: the portal's forms and Canopy Edge import it too.
import { z } from 'zod';
import { sortParams } from '@/lib/api/sort-params';
import { REGISTRY_NAME, REGISTRY_NAME_MESSAGE } from '@/lib/registries/rules';
import {
  GATEWAY_ACTIONS,
  REPOSITORY_ACTIONS,
  gatewayAction,
  isRepositoryPattern,
  repositoryAction,
  validateActions,
} from '@/lib/scope-maps/grammar';
import { createScopeMapInput } from '@/lib/scope-maps/schemas';

/** A token's two password slots: rotate one while clients still use the other. */
export const PASSWORD_SLOTS = ['password1', 'password2'] as const;
export const passwordSlotName = z.enum(PASSWORD_SLOTS);
export type PasswordSlotName = z.infer<typeof passwordSlotName>;

export const TOKEN_STATUSES = ['enabled', 'disabled'] as const;
export const tokenStatus = z.enum(TOKEN_STATUSES);
export type TokenStatus = z.infer<typeof tokenStatus>;

/** How an on-premises registry reaches its parent's gateway. */
export const parentProtocol = z.enum(['https', 'http']);
export type ParentProtocol = z.infer<typeof parentProtocol>;

export const tokenName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{5,50}$/, 'Use 5–50 letters, digits and "-".');

const futureTime = z.iso
  // abort: a malformed value gets only the format message, not also "must be in the future"
  .datetime({ offset: true, message: 'Use an RFC 3339 time, e.g. 2027-01-31T00:00:00Z.', abort: true })
  .refine((v) => new Date(v).getTime() > Date.now(), 'The expiry must be in the future.');

const expiresInDays = z.number().int('Give a whole number of days.').min(1, 'At least 1 day.').max(3650, 'At most 3650 days (10 years).');

/** An expiry given as a time or as a number of days from now (not both). */
function expiryIssues(v: { expiry?: string | null; expiresInDays?: number }, ctx: z.RefinementCtx) {
  if (v.expiry && v.expiresInDays !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['expiresInDays'], message: 'Give expiry or expiresInDays, not both.' });
  }
}

// ACR's `az acr token create --repository <repo> <actions…> --gateway <registry> <actions…>`
const inlineRepository = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine(isRepositoryPattern, 'Use a repository name (lowercase, e.g. library/hello-world), optionally ending in /*, or *.'),
    actions: z.array(z.enum(REPOSITORY_ACTIONS)).min(1, 'Give at least one action.').max(REPOSITORY_ACTIONS.length),
  })
  .strict();
const inlineGateway = z
  .object({
    registry: z.string().trim().regex(REGISTRY_NAME, REGISTRY_NAME_MESSAGE),
    actions: z.array(z.enum(GATEWAY_ACTIONS)).min(1, 'Give at least one action.').max(GATEWAY_ACTIONS.length),
  })
  .strict();

/** The scope-map actions of inline permissions. */
export function inlineActions(v: {
  repositories?: z.infer<typeof inlineRepository>[];
  gateway?: z.infer<typeof inlineGateway>[];
}): string[] {
  return [
    ...(v.repositories ?? []).flatMap((r) => r.actions.map((a) => repositoryAction(r.name, a))),
    ...(v.gateway ?? []).flatMap((g) => g.actions.map((a) => gatewayAction(g.registry, a))),
  ];
}

/**
 * A token uses an existing scope map (`scopeMap`), a new one the caller names (`newScopeMap`,
 * the portal's "new scope map"), or a new one made of inline permissions (`repositories`,
 * `gateway`) and named `<token>-scope-map`; the new map is created in the token's transaction.
 */
export const createTokenInput = z
  .object({
    name: tokenName,
    scopeMap: z.string().trim().min(1, 'Choose a scope map.').optional(),
    newScopeMap: createScopeMapInput.optional(),
    repositories: z.array(inlineRepository).max(500).optional(),
    gateway: z.array(inlineGateway).max(500).optional(),
    status: tokenStatus.default('enabled'),
    expiry: futureTime.nullish(),
    expiresInDays: expiresInDays.optional(),
    noPasswords: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    const inline = v.repositories !== undefined || v.gateway !== undefined;
    const sources = [v.scopeMap !== undefined, v.newScopeMap !== undefined, inline].filter(Boolean).length;
    if (sources === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['scopeMap'],
        message: 'Choose a scope map, or give the token repositories or gateway permissions.',
      });
    if (sources > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['scopeMap'],
        message: 'Give one of scopeMap, newScopeMap, or repositories/gateway permissions.',
      });
    if (inline) {
      const actions = inlineActions(v);
      if (!actions.length)
        ctx.addIssue({ code: 'custom', path: ['repositories'], message: 'Give at least one repository or gateway permission.' });
      for (const message of validateActions(actions)) ctx.addIssue({ code: 'custom', path: ['repositories'], message });
    }
    expiryIssues(v, ctx);
    if (v.noPasswords && (v.expiry || v.expiresInDays !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'An expiry needs passwords: drop noPasswords or the expiry.' });
    }
  });
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const updateTokenInput = z.object({ status: tokenStatus.optional(), scopeMap: z.string().trim().min(1).optional() }).strict();
export type UpdateTokenInput = z.infer<typeof updateTokenInput>;

/** One slot (`name`), or several at once (`names`, e.g. both), with an optional expiry. */
export const regeneratePasswordInput = z
  .object({
    name: passwordSlotName.optional(),
    names: z.array(passwordSlotName).min(1, 'Name at least one slot.').max(PASSWORD_SLOTS.length).optional(),
    expiry: futureTime.nullish(),
    expiresInDays: expiresInDays.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.name === undefined) === (v.names === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'Give the slot to regenerate as name, or several as names (not both).' });
    }
    if (v.names && new Set(v.names).size !== v.names.length)
      ctx.addIssue({ code: 'custom', path: ['names'], message: 'Name each slot once.' });
    expiryIssues(v, ctx);
  });
export type RegeneratePasswordInput = z.input<typeof regeneratePasswordInput>;

export const connectionSettingsInput = z
  .object({
    /** default: https when the parent's login server has TLS enabled (always for a cloud parent), else http */
    parentProtocol: parentProtocol.optional(),
    generatePassword: passwordSlotName.optional(),
    /** expiry of the generated password */
    expiry: futureTime.nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.expiry && !v.generatePassword)
      ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'An expiry applies to a generated password: add generatePassword.' });
  });
export type ConnectionSettingsInput = z.infer<typeof connectionSettingsInput>;

export const listTokensQuery = z.object({
  kind: z.enum(['all', 'client', 'sync']).default('all'),
  status: tokenStatus.optional(),
  expiring: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(50).optional(),
  ...sortParams(['name', 'created', 'lastUsed', 'state']),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListTokensQuery = z.infer<typeof listTokensQuery>;

/** A password slot as reads show it: never its value or verifier. */
export const passwordSlotDto = z.object({
  name: passwordSlotName,
  creationTime: z.string(),
  expiry: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  state: z.enum(['valid', 'expiring', 'expired']),
});
export type PasswordSlotDto = z.infer<typeof passwordSlotDto>;

export const tokenDto = z.object({
  name: z.string(),
  scopeMap: z.string(),
  readOnly: z.boolean().describe('its scope map only reads: a ReadOnly connected registry may accept it as a client token'),
  status: tokenStatus,
  kind: z.enum(['client', 'sync']),
  // for a sync token: its connected registry
  syncRegistry: z.string().nullable(),
  // for a client token: the connected registries that accept it
  acceptedBy: z.array(z.string()),
  passwords: z.array(passwordSlotDto),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TokenDto = z.infer<typeof tokenDto>;

/** A newly generated password: its value is shown this once. */
export const revealedPassword = z.object({
  name: passwordSlotName,
  value: z.string().describe('Shown this once; only a verifier is stored'),
  creationTime: z.string(),
  expiry: z.string().nullable(),
});
export type RevealedPassword = z.infer<typeof revealedPassword>;

/** POST …/tokens answers the token with its new passwords (values shown once). */
export const createdTokenDto = tokenDto.extend({ passwords: z.array(revealedPassword) });

/** The connection string an on-premises registry is deployed with (POST …/settings). */
export const connectionSettingsDto = z.object({ connectionString: z.string() });

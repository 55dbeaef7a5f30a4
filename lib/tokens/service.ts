// Tokens: create (with passwords shown once), change status or scope map, regenerate or delete
// a password slot, delete; and the connection settings of a connected registry.
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import type { Tx } from '@/lib/db/client';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import type { ResolvedCloudRegistry } from '@/lib/registries/cloud-queries';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { REGISTRY_NAME, REGISTRY_NAME_MESSAGE, protocolFor, type FeatureStatus } from '@/lib/registries/rules';
import {
  GATEWAY_ACTIONS,
  REPOSITORY_ACTIONS,
  gatewayAction,
  isReadOnlyActionSet,
  isRepositoryPattern,
  repositoryAction,
  validateActions,
} from '@/lib/scope-maps/grammar';
import { createScopeMapInput, insertScopeMap } from '@/lib/scope-maps/service';
import { PASSWORD_SLOTS, generateTokenPassword, type PasswordSlotName, type RevealedPassword } from './passwords';
import { tokenSelect, toTokenDto, type TokenDto } from './queries';
import { sameName } from '@/lib/db/like';

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

/** The expiry a request asks for: its time, or now plus its days; null for none. */
export function requestedExpiry(v: { expiry?: string | null; expiresInDays?: number }, now = Date.now()): Date | null {
  if (v.expiry) return new Date(v.expiry);
  return v.expiresInDays !== undefined ? new Date(now + v.expiresInDays * 86_400_000) : null;
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

/** The scope map a token created with inline permissions gets. */
export const inlineScopeMapName = (token: string) => `${token}-scope-map`;

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
    status: z.enum(['enabled', 'disabled']).default('enabled'),
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

export const updateTokenInput = z
  .object({ status: z.enum(['enabled', 'disabled']).optional(), scopeMap: z.string().trim().min(1).optional() })
  .strict();

/** One slot (`name`), or several at once (`names`, e.g. both), with an optional expiry. */
export const regeneratePasswordInput = z
  .object({
    name: z.enum(PASSWORD_SLOTS).optional(),
    names: z.array(z.enum(PASSWORD_SLOTS)).min(1, 'Name at least one slot.').max(PASSWORD_SLOTS.length).optional(),
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

export const connectionSettingsInput = z
  .object({
    /** default: https when the parent's login server has TLS enabled (always for a cloud parent), else http */
    parentProtocol: z.enum(['https', 'http']).optional(),
    generatePassword: z.enum(PASSWORD_SLOTS).optional(),
    /** expiry of the generated password */
    expiry: futureTime.nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.expiry && !v.generatePassword)
      ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'An expiry applies to a generated password: add generatePassword.' });
  });

export type CreatedToken = TokenDto & { passwords: TokenDto['passwords']; revealed: RevealedPassword[] };

async function loadToken(tx: Tx, cloudRegistryId: string, name: string) {
  const row = await tx.token.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: {
      id: true,
      name: true,
      status: true,
      scopeMapId: true,
      scopeMap: { select: { name: true } },
      syncRegistry: { select: { name: true } },
      clientOf: { select: { connectedRegistry: { select: { name: true } } } },
    },
  });
  if (!row) throw new NotFoundError(`Token "${name}"`);
  return row;
}

async function resolveScopeMap(tx: Tx, cloudRegistryId: string, name: string) {
  const map = await tx.scopeMap.findFirst({
    where: { cloudRegistryId, name: sameName(name) },
    select: { id: true, name: true, actions: true, syncRegistry: { select: { name: true } } },
  });
  if (!map) throw ValidationError.field('scopeMap', `There is no scope map named ${name}.`);
  if (map.syncRegistry) {
    throw new ConflictError(`${map.name} is the sync scope map of ${map.syncRegistry.name}; client tokens need another scope map.`, [
      { field: 'scopeMap', message: 'Sync scope maps belong to their registry’s sync token.' },
    ]);
  }
  return map;
}

export async function writePassword(tx: Tx, tokenId: string, slot: PasswordSlotName, expiry: Date | null): Promise<RevealedPassword> {
  const { value, verifier } = generateTokenPassword();
  const createdAt = new Date();
  await tx.tokenPassword.upsert({
    where: { tokenId_slot: { tokenId, slot } },
    create: { tokenId, slot, verifier, createdAt, expiry },
    update: { verifier, createdAt, expiry, lastUsedAt: null },
  });
  return { name: slot, value, creationTime: createdAt.toISOString(), expiry: expiry?.toISOString() ?? null };
}

async function readToken(tx: Tx, id: string) {
  return toTokenDto(await tx.token.findUniqueOrThrow({ where: { id }, select: tokenSelect }));
}

export async function createToken(
  actor: Actor,
  registryName: string,
  input: z.infer<typeof createTokenInput>,
): Promise<{ token: TokenDto; passwords: RevealedPassword[] }> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const clash = await tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(input.name) }, select: { id: true } });
    if (clash)
      throw new ConflictError(`A token named ${input.name} exists already in ${cloud.name}.`, [
        { field: 'name', message: 'This name is taken.' },
      ]);
    const map = input.scopeMap
      ? await resolveScopeMap(tx, cloud.id, input.scopeMap)
      : input.newScopeMap
        ? await insertScopeMap(tx, actor, cloud, input.newScopeMap, { field: 'newScopeMap.name', forToken: input.name })
        : await insertScopeMap(
            tx,
            actor,
            cloud,
            { name: inlineScopeMapName(input.name), description: `Permissions of token ${input.name}`, actions: inlineActions(input) },
            { field: 'name', forToken: input.name },
          );
    const row = await tx.token.create({
      data: { cloudRegistryId: cloud.id, name: input.name, scopeMapId: map.id, status: input.status },
      select: { id: true },
    });
    const expiry = requestedExpiry(input);
    const passwords = input.noPasswords
      ? []
      : [await writePassword(tx, row.id, 'password1', expiry), await writePassword(tx, row.id, 'password2', expiry)];
    const token = await readToken(tx, row.id);
    await recordAudit(tx, actor, {
      action: 'token.create',
      targetType: 'token',
      targetName: token.name,
      registry: cloud.name,
      details: {
        scopeMap: map.name,
        ...(input.scopeMap ? {} : { scopeMapCreated: true }),
        status: token.status,
        passwords: passwords.map((p) => p.name),
        expiry: expiry?.toISOString() ?? null,
      },
    });
    return { token, passwords };
  });
}

export async function updateToken(
  actor: Actor,
  registryName: string,
  name: string,
  input: z.infer<typeof updateTokenInput>,
): Promise<TokenDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadToken(tx, cloud.id, name);
    let scopeMapId = current.scopeMapId;
    if (input.scopeMap && input.scopeMap.toLowerCase() !== current.scopeMap.name.toLowerCase()) {
      if (current.syncRegistry) {
        throw new ConflictError(
          `${current.name} is the sync token of ${current.syncRegistry.name}: its scope map is managed by the registry.`,
          [{ field: 'scopeMap', message: 'A sync token keeps its sync scope map.' }],
        );
      }
      const map = await resolveScopeMap(tx, cloud.id, input.scopeMap);
      if (!isReadOnlyActionSet(map.actions)) {
        const readOnly = await tx.connectedRegistry.findFirst({
          where: { mode: 'ReadOnly', clientTokens: { some: { tokenId: current.id } } },
          select: { name: true },
        });
        if (readOnly) {
          throw new ConflictError(
            `${current.name} is a client token of ReadOnly registry ${readOnly.name}, and ${map.name} allows more than reading.`,
            [{ field: 'scopeMap', message: `ReadOnly registry ${readOnly.name} accepts read-only tokens only.` }],
            'readonly_violation',
          );
        }
      }
      scopeMapId = map.id;
    }
    await tx.token.update({ where: { id: current.id }, data: { scopeMapId, ...(input.status ? { status: input.status } : {}) } });
    const after = await readToken(tx, current.id);
    await recordAudit(tx, actor, {
      action:
        current.syncRegistry && input.status && input.status !== current.status
          ? input.status === 'disabled'
            ? 'connectedRegistry.disable'
            : 'connectedRegistry.enable'
          : 'token.update',
      targetType: 'token',
      targetName: after.name,
      registry: cloud.name,
      details: {
        ...(current.syncRegistry ? { connectedRegistry: current.syncRegistry.name } : {}),
        before: { status: current.status, scopeMap: current.scopeMap.name },
        after: { status: after.status, scopeMap: after.scopeMap },
      },
    });
    return after;
  });
}

export async function deleteToken(actor: Actor, registryName: string, name: string): Promise<void> {
  await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadToken(tx, cloud.id, name);
    if (current.syncRegistry) {
      throw new ConflictError(
        `${current.name} is the sync token of ${current.syncRegistry.name}; it goes when that registry is deleted.`,
        [],
        'sync_token',
      );
    }
    if (current.clientOf.length) {
      const names = current.clientOf.map((c) => c.connectedRegistry.name).sort();
      throw new ConflictError(
        `${current.name} is accepted by ${names.join(', ')}; remove it from ${names.length === 1 ? 'that registry' : 'those registries'} first.`,
        [],
        'in_use',
      );
    }
    await tx.token.delete({ where: { id: current.id } });
    await recordAudit(tx, actor, {
      action: 'token.delete',
      targetType: 'token',
      targetName: current.name,
      registry: cloud.name,
      details: { scopeMap: current.scopeMap.name },
    });
  });
}

/**
 * Regenerates the slots asked for (`names`, or the one `name`), in one transaction; a slot not
 * asked for keeps working. The new values are returned once, in slot order.
 */
export async function regeneratePasswords(
  actor: Actor,
  registryName: string,
  name: string,
  input: z.input<typeof regeneratePasswordInput>,
): Promise<RevealedPassword[]> {
  const slots = PASSWORD_SLOTS.filter((s) => (input.names ?? [input.name]).includes(s));
  if (!slots.length) throw ValidationError.field('name', 'Name the slot to regenerate.');
  const expiry = requestedExpiry(input);
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadToken(tx, cloud.id, name);
    const revealed: RevealedPassword[] = [];
    for (const slot of slots) {
      const password = await writePassword(tx, current.id, slot, expiry);
      revealed.push(password);
      await recordAudit(tx, actor, {
        action: 'token.password.regenerate',
        targetType: 'token',
        targetName: current.name,
        registry: cloud.name,
        details: { slot, expiry: password.expiry, ...(current.syncRegistry ? { connectedRegistry: current.syncRegistry.name } : {}) },
      });
    }
    return revealed;
  });
}

/** regeneratePasswords for one slot (`name`); the other keeps working. The new value is returned once. */
export async function regeneratePassword(
  actor: Actor,
  registryName: string,
  name: string,
  input: z.input<typeof regeneratePasswordInput>,
): Promise<RevealedPassword> {
  const [revealed] = await regeneratePasswords(actor, registryName, name, input);
  return revealed;
}

export async function deletePassword(actor: Actor, registryName: string, name: string, slot: PasswordSlotName): Promise<TokenDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud) => {
    const current = await loadToken(tx, cloud.id, name);
    const { count } = await tx.tokenPassword.deleteMany({ where: { tokenId: current.id, slot } });
    if (count === 0) throw new NotFoundError(`${slot} of token "${name}"`);
    await recordAudit(tx, actor, {
      action: 'token.password.delete',
      targetType: 'token',
      targetName: current.name,
      registry: cloud.name,
      details: { slot },
    });
    return readToken(tx, current.id);
  });
}

export function connectionString(s: {
  registryName: string;
  syncTokenName: string;
  password: string | null;
  parentEndpoint: string;
  parentProtocol: 'https' | 'http';
}): string {
  const password = s.password ?? '<generate a password: POST …/settings with "generatePassword">';
  return [
    `ConnectedRegistryName=${s.registryName}`,
    `SyncTokenName=${s.syncTokenName}`,
    `SyncTokenPassword=${password}`,
    `ParentGatewayEndpoint=${s.parentEndpoint}`,
    `ParentEndpointProtocol=${s.parentProtocol}`,
  ].join(';');
}

/**
 * Where an on-premises registry reaches its parent's gateway: the cloud registry's regional data
 * endpoint, always over https, or the parent connected registry's login server over the
 * protocol its TLS gives (https when Enabled), or the one the admin chose.
 */
export function parentGateway(
  cloud: { dataEndpoint: string },
  parent: { loginServer: string; tls: FeatureStatus } | null,
  requested: 'https' | 'http' | undefined,
): { parentEndpoint: string; parentProtocol: 'https' | 'http' } {
  // A connected parent is reached as its login server's TLS says, unless the caller says otherwise.
  return parent
    ? { parentEndpoint: parent.loginServer, parentProtocol: requested ?? protocolFor(parent.tls) }
    : { parentEndpoint: cloud.dataEndpoint, parentProtocol: 'https' };
}

/**
 * The settings an on-premises registry is deployed with. With `generatePassword` a sync-token
 * slot is regenerated in the same transaction and its value appears in the string, once.
 */
export async function connectionSettings(
  actor: Actor,
  registryName: string,
  name: string,
  input: z.infer<typeof connectionSettingsInput>,
): Promise<{ connectionString: string; parentProtocol: 'https' | 'http'; password: RevealedPassword | null }> {
  const role = input.generatePassword ? 'Contributor' : 'Reader';
  const run = async (tx: Tx, cloud: ResolvedCloudRegistry) => {
    const registry = await tx.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: sameName(name) },
      select: {
        name: true,
        syncTokenId: true,
        syncToken: { select: { name: true } },
        parent: { select: { loginServer: true, tls: true } },
      },
    });
    if (!registry) throw new NotFoundError(`Connected registry "${name}"`);
    const { parentEndpoint, parentProtocol } = parentGateway(cloud, registry.parent, input.parentProtocol);
    let password: RevealedPassword | null = null;
    if (input.generatePassword) {
      password = await writePassword(tx, registry.syncTokenId, input.generatePassword, input.expiry ? new Date(input.expiry) : null);
      await recordAudit(tx, actor, {
        action: 'connectedRegistry.rotateSyncCredentials',
        targetType: 'connectedRegistry',
        targetName: registry.name,
        registry: cloud.name,
        details: {
          syncToken: registry.syncToken.name,
          slot: input.generatePassword,
          ...(password.expiry ? { expiry: password.expiry } : {}),
        },
      });
    }
    return {
      connectionString: connectionString({
        registryName: registry.name,
        syncTokenName: registry.syncToken.name,
        password: password?.value ?? null,
        parentEndpoint,
        parentProtocol,
      }),
      parentProtocol,
      password,
    };
  };
  // only a generated password changes anything: a plain read takes no lock
  return withCloudRegistry(actor, role, registryName, run, { lock: !!input.generatePassword });
}

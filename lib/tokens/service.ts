// Tokens: create (with passwords shown once), change status or scope map, regenerate or delete
// a password slot, delete; and the connection settings of a connected registry.
import { z } from 'zod';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { transaction, type Tx } from '@/lib/db/client';
import { lockCloudRegistry } from '@/lib/db/locks';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { resolveCloudRegistry } from '@/lib/registries/cloud';
import { protocolFor, type FeatureStatus } from '@/lib/registries/rules';
import { isReadOnlyActionSet } from '@/lib/scope-maps/grammar';
import { PASSWORD_SLOTS, generateTokenPassword, type PasswordSlotName, type RevealedPassword } from './passwords';
import { tokenSelect, toTokenDto, type TokenDto } from './queries';

export const tokenName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{5,50}$/, 'Use 5–50 letters, digits and "-".');

const futureTime = z.iso
  // abort: a malformed value gets only the format message, not also "must be in the future"
  .datetime({ offset: true, message: 'Use an RFC 3339 time, e.g. 2027-01-31T00:00:00Z.', abort: true })
  .refine((v) => new Date(v).getTime() > Date.now(), 'The expiry must be in the future.');

export const createTokenInput = z
  .object({
    name: tokenName,
    scopeMap: z.string().trim().min(1, 'Choose a scope map.'),
    status: z.enum(['enabled', 'disabled']).default('enabled'),
    expiry: futureTime.nullish(),
    noPasswords: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.noPasswords && v.expiry) ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'An expiry needs passwords: drop noPasswords or the expiry.' });
  });

export const updateTokenInput = z
  .object({ status: z.enum(['enabled', 'disabled']).optional(), scopeMap: z.string().trim().min(1).optional() })
  .strict();

export const regeneratePasswordInput = z.object({ name: z.enum(PASSWORD_SLOTS), expiry: futureTime.nullish() }).strict();

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
    if (v.expiry && !v.generatePassword) ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'An expiry applies to a generated password: add generatePassword.' });
  });

export type CreatedToken = TokenDto & { passwords: TokenDto['passwords']; revealed: RevealedPassword[] };

async function loadToken(tx: Tx, cloudRegistryId: string, name: string) {
  const row = await tx.token.findFirst({
    where: { cloudRegistryId, name },
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
    where: { cloudRegistryId, name },
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
  requireRole(actor, 'Contributor');
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    await lockCloudRegistry(tx, cloud.id);
    const clash = await tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: { equals: input.name, mode: 'insensitive' } }, select: { id: true } });
    if (clash) throw new ConflictError(`A token named ${input.name} exists already in ${cloud.name}.`, [{ field: 'name', message: 'This name is taken.' }]);
    const map = await resolveScopeMap(tx, cloud.id, input.scopeMap);
    const row = await tx.token.create({ data: { cloudRegistryId: cloud.id, name: input.name, scopeMapId: map.id, status: input.status }, select: { id: true } });
    const expiry = input.expiry ? new Date(input.expiry) : null;
    const passwords = input.noPasswords ? [] : [await writePassword(tx, row.id, 'password1', expiry), await writePassword(tx, row.id, 'password2', expiry)];
    const token = await readToken(tx, row.id);
    await recordAudit(tx, actor, {
      action: 'token.create',
      targetType: 'token',
      targetName: token.name,
      registry: cloud.name,
      details: { scopeMap: map.name, status: token.status, passwords: passwords.map((p) => p.name), expiry: expiry?.toISOString() ?? null },
    });
    return { token, passwords };
  });
}

export async function updateToken(actor: Actor, registryName: string, name: string, input: z.infer<typeof updateTokenInput>): Promise<TokenDto> {
  requireRole(actor, 'Contributor');
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    await lockCloudRegistry(tx, cloud.id);
    const current = await loadToken(tx, cloud.id, name);
    let scopeMapId = current.scopeMapId;
    if (input.scopeMap && input.scopeMap !== current.scopeMap.name) {
      if (current.syncRegistry) {
        throw new ConflictError(`${current.name} is the sync token of ${current.syncRegistry.name}: its scope map is managed by the registry.`, [
          { field: 'scopeMap', message: 'A sync token keeps its sync scope map.' },
        ]);
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
      action: current.syncRegistry && input.status && input.status !== current.status
        ? input.status === 'disabled' ? 'connectedRegistry.disable' : 'connectedRegistry.enable'
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
  requireRole(actor, 'Contributor');
  await transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    await lockCloudRegistry(tx, cloud.id);
    const current = await loadToken(tx, cloud.id, name);
    if (current.syncRegistry) {
      throw new ConflictError(`${current.name} is the sync token of ${current.syncRegistry.name}; it goes when that registry is deleted.`, [], 'sync_token');
    }
    if (current.clientOf.length) {
      const names = current.clientOf.map((c) => c.connectedRegistry.name).sort();
      throw new ConflictError(`${current.name} is accepted by ${names.join(', ')}; remove it from ${names.length === 1 ? 'that registry' : 'those registries'} first.`, [], 'in_use');
    }
    await tx.token.delete({ where: { id: current.id } });
    await recordAudit(tx, actor, { action: 'token.delete', targetType: 'token', targetName: current.name, registry: cloud.name, details: { scopeMap: current.scopeMap.name } });
  });
}

/** Regenerates one slot; the other keeps working. The new value is returned once. */
export async function regeneratePassword(
  actor: Actor,
  registryName: string,
  name: string,
  input: z.infer<typeof regeneratePasswordInput>,
): Promise<RevealedPassword> {
  requireRole(actor, 'Contributor');
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    await lockCloudRegistry(tx, cloud.id);
    const current = await loadToken(tx, cloud.id, name);
    const revealed = await writePassword(tx, current.id, input.name, input.expiry ? new Date(input.expiry) : null);
    await recordAudit(tx, actor, {
      action: 'token.password.regenerate',
      targetType: 'token',
      targetName: current.name,
      registry: cloud.name,
      details: { slot: input.name, expiry: revealed.expiry, ...(current.syncRegistry ? { connectedRegistry: current.syncRegistry.name } : {}) },
    });
    return revealed;
  });
}

export async function deletePassword(actor: Actor, registryName: string, name: string, slot: PasswordSlotName): Promise<TokenDto> {
  requireRole(actor, 'Contributor');
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    await lockCloudRegistry(tx, cloud.id);
    const current = await loadToken(tx, cloud.id, name);
    const { count } = await tx.tokenPassword.deleteMany({ where: { tokenId: current.id, slot } });
    if (count === 0) throw new NotFoundError(`${slot} of token "${name}"`);
    await recordAudit(tx, actor, { action: 'token.password.delete', targetType: 'token', targetName: current.name, registry: cloud.name, details: { slot } });
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
  requireRole(actor, input.generatePassword ? 'Contributor' : 'Reader');
  const run = async (tx: Tx) => {
    const cloud = await resolveCloudRegistry(tx, registryName);
    if (input.generatePassword) await lockCloudRegistry(tx, cloud.id);
    const registry = await tx.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: { equals: name, mode: 'insensitive' } },
      select: { name: true, syncTokenId: true, syncToken: { select: { name: true } }, parent: { select: { loginServer: true, tls: true } } },
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
        details: { syncToken: registry.syncToken.name, slot: input.generatePassword, ...(password.expiry ? { expiry: password.expiry } : {}) },
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
  return transaction(run);
}

// Creating a connected registry: its sync token and sync scope map (or an adopted token), its
// place in the hierarchy (its ancestors' sync scope maps), a sync password and the connection
// string it is deployed with, in one transaction with the audit events.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import type { Tx } from '@/lib/db/client';
import { ConflictError, ValidationError, isUniqueViolation } from '@/lib/errors';
import { PASSWORD_SLOTS } from '@/lib/tokens/schemas';
import { connectionString, parentGateway } from '@/lib/tokens/rules';
import { writePassword } from '@/lib/tokens/service/write-password';
import { claimConnectedLoginServer, isLoginServerConflict, loginServerTaken, normalizeLoginServer } from '../login-servers';
import { readConnectedRegistryDto } from '../queries';
import { plainSyncSettingsOf, type CreatedConnectedRegistry } from '../schemas';
import { CONTINUOUS_SCHEDULE, DEFAULT_GC_SCHEDULE, childModeError, syncScopeMapName, syncTokenName, syncWindowError } from '../rules';
import type { CreateConnectedRegistryInput } from '../schemas';
import { ancestorsOf, modeActionsFor, repositoriesOf, syncScopeActions, type HierarchyNode } from '../sync-scope';
import { resolveAdoptedSyncToken } from '../sync-token-adoption';
import { resolveClientTokens } from './client-tokens';
import { assertWithinPermissionLimit, findByName, loadHierarchy, refreshSyncScopeMaps } from './hierarchy';
import { withCloudRegistry } from './with-cloud-registry';
import { sameName } from '@/lib/db/like';

/** A registry's own sync token and scope map are named after it: refuse when a name is taken. */
async function assertSyncCredentialNamesFree(tx: Tx, cloud: { id: string; name: string }, registryName: string) {
  const tokenName = syncTokenName(registryName);
  const mapName = syncScopeMapName(registryName);
  // one after the other: a transaction is one connection, which runs one query at a time
  const tokenClash = await tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(tokenName) }, select: { id: true } });
  const mapClash = await tx.scopeMap.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(mapName) }, select: { id: true } });
  if (tokenClash || mapClash) {
    const what = tokenClash ? `a token named ${tokenName}` : `a scope map named ${mapName}`;
    throw new ConflictError(`${cloud.name} already has ${what}, which the new registry's sync credentials need.`, [
      { field: 'name', message: `Rename or delete ${what} first, or adopt an existing token as syncToken.` },
    ]);
  }
}

export async function createConnectedRegistry(
  actor: Actor,
  registryName: string,
  input: CreateConnectedRegistryInput,
): Promise<CreatedConnectedRegistry> {
  const schedule = input.syncSchedule ?? CONTINUOUS_SCHEDULE;
  const windowError = syncWindowError(schedule, input.syncWindow);
  if (windowError) throw ValidationError.field('syncWindow', windowError);
  try {
    return await withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
      const nodes = await loadHierarchy(tx, cloud.id);

      if (findByName(nodes, input.name)) {
        throw new ConflictError(`A connected registry named ${input.name} exists already in ${cloud.name}.`, [
          { field: 'name', message: 'This name is taken in this hierarchy.' },
        ]);
      }
      const parent = input.parent ? findByName(nodes, input.parent) : undefined;
      if (input.parent && !parent) {
        throw ValidationError.field('parent', `There is no connected registry named ${input.parent} in ${cloud.name}.`);
      }
      const modeError = childModeError(parent?.mode ?? null, input.mode);
      if (modeError) throw new ConflictError(modeError, [{ field: 'mode', message: modeError }], 'readonly_violation');
      const clientTokens = await resolveClientTokens(tx, cloud.id, input.clientTokens, input.mode, input.name);

      const adopted = input.syncToken
        ? await resolveAdoptedSyncToken(tx, cloud, input.syncToken, {
            name: input.name,
            mode: input.mode,
            clientTokens: input.clientTokens,
          })
        : null;
      if (!adopted) await assertSyncCredentialNamesFree(tx, cloud, input.name);

      const repositoryActions = adopted ? adopted.repositoryActions : modeActionsFor([...new Set(input.repositories ?? [])], input.mode);
      const repositories = repositoriesOf(repositoryActions);
      const self: HierarchyNode = {
        id: 'new',
        name: input.name,
        parentId: parent?.id ?? null,
        mode: input.mode,
        repositories,
        repositoryActions,
      };
      const syncActions = syncScopeActions(self, []);
      assertWithinPermissionLimit(input.name, syncActions);
      const scopeMap = adopted
        ? await tx.scopeMap.update({ where: { id: adopted.scopeMap.id }, data: { actions: syncActions }, select: { id: true } })
        : await tx.scopeMap.create({
            data: {
              cloudRegistryId: cloud.id,
              name: syncScopeMapName(input.name),
              description: `Sync scope map of connected registry ${input.name}`,
              actions: syncActions,
            },
            select: { id: true },
          });
      const token =
        adopted ??
        (await tx.token.create({
          data: { cloudRegistryId: cloud.id, name: syncTokenName(input.name), scopeMapId: scopeMap.id },
          select: { id: true },
        }));
      await claimConnectedLoginServer(tx, input.loginServer);
      const created = await tx.connectedRegistry.create({
        data: {
          cloudRegistryId: cloud.id,
          parentId: parent?.id ?? null,
          name: input.name,
          mode: input.mode,
          loginServer: normalizeLoginServer(input.loginServer),
          tls: input.tls ?? 'Enabled',
          repositories,
          repositoryActions,
          syncSchedule: schedule,
          syncWindow: input.syncWindow ?? null,
          // those given; the others take their columns' defaults
          ...plainSyncSettingsOf(input),
          notifications: [...new Set(input.notifications)],
          gcEnabled: input.garbageCollection?.enabled ?? true,
          gcSchedule: input.garbageCollection?.schedule ?? DEFAULT_GC_SCHEDULE,
          syncTokenId: token.id,
          syncScopeMapId: scopeMap.id,
          syncTokenAdopted: adopted !== null,
          clientTokens: { create: clientTokens.map((t) => ({ tokenId: t.id })) },
        },
        select: { id: true },
      });
      const all = [
        ...nodes,
        {
          ...self,
          id: created.id,
          syncScopeMapId: scopeMap.id,
          loginServer: input.loginServer,
          tls: input.tls ?? 'Enabled',
          repositoryActions,
        },
      ];
      await refreshSyncScopeMaps(
        tx,
        all,
        ancestorsOf(all, created.id).map((n) => n.id),
      );
      // an adopted token keeps the passwords it has: only an empty slot is filled
      const emptySlot = adopted ? PASSWORD_SLOTS.find((slot) => !adopted.filledSlots.includes(slot)) : 'password1';
      const password = emptySlot ? await writePassword(tx, token.id, emptySlot, null) : null;
      const dto = await readConnectedRegistryDto(tx, created.id);
      const gatewayActionsAdded = adopted ? syncActions.filter((a) => !adopted.scopeMap.actions.includes(a)) : [];
      await audit('connectedRegistry.create', dto.name, {
        parent: dto.parent,
        mode: dto.mode,
        loginServer: dto.loginServer,
        tls: dto.tls,
        repositories,
        clientTokens: dto.clientTokens,
        syncToken: dto.syncToken,
        syncPasswordGenerated: password?.name ?? null,
        auditLogStatus: dto.auditLogStatus,
        garbageCollection: dto.garbageCollection,
        ...(adopted ? { syncTokenAdopted: true, syncScopeMap: dto.syncScopeMap, gatewayActionsAdded } : {}),
      });
      if (adopted) {
        await audit('scopeMap.update', adopted.scopeMap.name, {
          added: gatewayActionsAdded,
          removed: [],
          reason: `${adopted.name} became the sync token of connected registry ${dto.name}`,
        });
      }
      const gateway = parentGateway(cloud, parent ?? null, input.parentProtocol);
      return {
        ...dto,
        connectionString: connectionString({
          registryName: dto.name,
          syncTokenName: dto.syncToken,
          password: password?.value ?? null,
          ...gateway,
        }),
        syncPassword: password && { name: password.name, creationTime: password.creationTime, expiry: password.expiry },
        note: password
          ? null
          : `Both password slots of ${dto.syncToken} hold a password, so none was generated (that would cut off whoever uses them). ` +
            `To deploy ${dto.name}, generate one: POST /api/v1/registries/${cloud.name}/connected-registries/${dto.name}/settings with {"generatePassword": "password1"} ` +
            `(or "password2"; it replaces that slot), or Rotate sync credentials on its page in the portal.`,
      };
    });
  } catch (error) {
    if (isLoginServerConflict(error)) throw await loginServerTaken(input.loginServer, false);
    if (isUniqueViolation(error)) {
      throw new ConflictError(`A connected registry named ${input.name} exists already in ${registryName}.`, [
        { field: 'name', message: 'This name is taken in this hierarchy.' },
      ]);
    }
    throw error;
  }
}

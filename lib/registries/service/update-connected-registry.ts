// Changing a connected registry's properties: client tokens, sync schedule and window, message
// TTL, log level, login server and TLS, audit log, notifications, garbage collection.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { sameNames } from '@/lib/db/like';
import { ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { claimConnectedLoginServer, isLoginServerConflict, loginServerTaken, normalizeLoginServer } from '../login-servers';
import { loadConnectedRegistry, readConnectedRegistryDto, toConnectedRegistryDto } from '../queries';
import { PLAIN_SYNC_SETTINGS, plainSyncSettingsOf, type ConnectedRegistryDto } from '../schemas';
import { syncWindowError } from '../rules';
import type { UpdateConnectedRegistryInput } from '../schemas';
import { resolveClientTokens } from './client-tokens';
import { withCloudRegistry } from './with-cloud-registry';

export async function updateConnectedRegistry(
  actor: Actor,
  registryName: string,
  name: string,
  input: UpdateConnectedRegistryInput,
): Promise<ConnectedRegistryDto> {
  try {
    return await updateInTransaction(actor, registryName, name, input);
  } catch (error) {
    if (input.loginServer && isLoginServerConflict(error)) throw await loginServerTaken(input.loginServer, false);
    throw error;
  }
}

function updateInTransaction(actor: Actor, registryName: string, name: string, input: UpdateConnectedRegistryInput) {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadConnectedRegistry(tx, cloud.id, name);
    const before = toConnectedRegistryDto(current);

    const schedule = input.syncSchedule ?? current.syncSchedule;
    const syncWindow = input.syncWindow !== undefined ? input.syncWindow : current.syncWindow;
    const windowError = syncWindowError(schedule, syncWindow);
    if (windowError) throw ValidationError.field('syncWindow', windowError);

    if (input.loginServer) await claimConnectedLoginServer(tx, input.loginServer);
    const accepted = new Set(before.clientTokens.map((t) => t.toLowerCase()));
    const toAdd = (input.addClientTokens ?? []).filter((t) => !accepted.has(t.toLowerCase()));
    const added = await resolveClientTokens(tx, cloud.id, toAdd, current.mode, current.name);
    if (added.length)
      await tx.connectedRegistryClientToken.createMany({ data: added.map((t) => ({ connectedRegistryId: current.id, tokenId: t.id })) });
    if (input.removeClientTokens?.length) {
      await tx.connectedRegistryClientToken.deleteMany({
        where: { connectedRegistryId: current.id, token: { name: sameNames(input.removeClientTokens) } },
      });
    }
    let notifications = current.notifications;
    if (input.addNotifications || input.removeNotifications) {
      notifications = [...new Set([...notifications, ...(input.addNotifications ?? [])])].filter(
        (n) => !(input.removeNotifications ?? []).includes(n),
      );
    }
    await tx.connectedRegistry.update({
      where: { id: current.id },
      data: {
        syncSchedule: schedule,
        syncWindow: syncWindow ?? null,
        ...plainSyncSettingsOf(input),
        // giving a login server again also re-attaches a registry a migration detached
        ...(input.loginServer ? { loginServer: normalizeLoginServer(input.loginServer), loginServerHolder: 'connected' as const } : {}),
        ...(input.tls ? { tls: input.tls } : {}),
        ...(input.garbageCollection?.enabled !== undefined ? { gcEnabled: input.garbageCollection.enabled } : {}),
        ...(input.garbageCollection?.schedule ? { gcSchedule: input.garbageCollection.schedule } : {}),
        notifications,
      },
    });
    const after = await readConnectedRegistryDto(tx, current.id);
    const changed = Object.fromEntries(
      (
        [
          'clientTokens',
          'syncSchedule',
          'syncWindow',
          ...PLAIN_SYNC_SETTINGS,
          'notifications',
          'loginServer',
          'tls',
          'garbageCollection',
        ] as const
      )
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, { before: before[k], after: after[k] }]),
    );
    // its login server and TLS are in its children's configurations too (their parent's
    // endpoint); everything else is in its own alone
    const alone = !('loginServer' in changed) && !('tls' in changed);
    await audit('connectedRegistry.update', after.name, changed as Prisma.InputJsonValue, alone ? [after.name] : undefined);
    return after;
  });
}

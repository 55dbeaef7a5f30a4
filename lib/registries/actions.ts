'use server';
// Server actions of the registry pages: thin adapters that check the role, parse with the
// service's zod schemas, call the service and revalidate the pages that show what changed.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formObject, runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { publicUrl } from '@/lib/config';
import { ValidationError, parseInput } from '@/lib/errors';
import { edgeDeployment, type EdgeDeployment } from '@/lib/gateway/edge-deployment';
import { createCloudRegistry, deleteCloudRegistry, updateCloudRegistry } from './service/cloud-registries';
import { createConnectedRegistry } from './service/create-connected-registry';
import { deactivateConnectedRegistry } from './service/deactivate-connected-registry';
import { deleteConnectedRegistry } from './service/delete-connected-registry';
import { updateConnectedRegistry } from './service/update-connected-registry';
import { splitList } from './form-checks';
import type { SyncSettings } from './form-values';
import { updatePermissions } from './service/update-permissions';
import {
  createCloudRegistryInput,
  createConnectedRegistryInput,
  permissionsInput,
  PLAIN_SYNC_SETTINGS,
  plainSyncSettingsOf,
  updateCloudRegistryInput,
  updateConnectedRegistryInput,
} from './schemas';

export type CloudRegistryFormState = ActionState<{ name: string }>;
/** On success: the registry's name and its connection string, shown once in the reveal dialog. */
export type ConnectedRegistryFormState = ActionState<{
  name: string;
  connectionString: string;
  note: string | null;
  deployment: EdgeDeployment;
}>;
export type ListChange = { add?: string[]; remove?: string[] };
export type { SyncSettings } from './form-values';

// names arrive from the browser: check they are strings before the service resolves them
const pathName = z.string().trim().min(1).max(100);

function revalidateRegistryPages() {
  revalidatePath('/cloud-registries');
  revalidatePath('/hierarchy');
  revalidatePath('/connected-registries', 'layout');
  revalidatePath('/');
}

const blankToUndefined = (v: string | undefined) => (v?.trim() ? v : undefined);

/** The form's garbage-collection fields as the schema's object; anything but 'true'/'false' goes as it came, and is refused there. */
function garbageCollectionOf(enabled: string | undefined, schedule: string | undefined) {
  return { enabled: enabled === 'true' ? true : enabled === 'false' ? false : enabled, schedule };
}

export async function createCloudRegistryAction(_prev: CloudRegistryFormState, formData: FormData): Promise<CloudRegistryFormState> {
  const values = formObject(formData, ['name', 'loginServer', 'region', 'dataEndpoint']);
  return runAction(async () => {
    const actor = await actionActor();
    const created = await createCloudRegistry(
      actor,
      parseInput(createCloudRegistryInput, { ...values, dataEndpoint: blankToUndefined(values.dataEndpoint) }),
    );
    revalidateRegistryPages();
    return { name: created.name };
  }, `Created the cloud registry ${values.name}.`);
}

export type CloudRegistryEdit = { loginServer: string; region: string; dataEndpoint: string };

export async function updateCloudRegistryAction(name: string, values: CloudRegistryEdit): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    const input = parseInput(updateCloudRegistryInput, values);
    await updateCloudRegistry(actor, parseInput(pathName, name), input);
    // its login server and data endpoint appear in connection strings and endpoint lists everywhere
    revalidatePath('/', 'layout');
    return undefined;
  }, `Saved ${name}.`);
}

export async function deleteCloudRegistryAction(name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deleteCloudRegistry(actor, parseInput(pathName, name));
    revalidatePath('/', 'layout');
    return undefined;
  }, `Deleted the cloud registry ${name}.`);
}

export async function createConnectedRegistryAction(
  registry: string,
  _prev: ConnectedRegistryFormState,
  formData: FormData,
): Promise<ConnectedRegistryFormState> {
  const v = formObject(formData, [
    'name',
    'parent',
    'mode',
    'loginServer',
    'repositories',
    'syncSchedule',
    'syncWindow',
    ...PLAIN_SYNC_SETTINGS,
    'notifications',
    'parentProtocol',
    'tls',
    'gcEnabled',
    'gcSchedule',
    'syncSource',
    'syncToken',
  ]);
  const adopting = v.syncSource === 'token';
  const input = {
    name: v.name ?? '',
    parent: v.parent?.trim() ? v.parent : null,
    mode: v.mode || undefined,
    loginServer: v.loginServer ?? '',
    ...(adopting ? { syncToken: v.syncToken ?? '' } : { repositories: splitList(v.repositories ?? '') }),
    clientTokens: formData.getAll('clientTokens').map(String).filter(Boolean),
    syncSchedule: blankToUndefined(v.syncSchedule),
    syncWindow: blankToUndefined(v.syncWindow),
    ...Object.fromEntries(PLAIN_SYNC_SETTINGS.map((k) => [k, blankToUndefined(v[k])])),
    notifications: splitList(v.notifications ?? ''),
    parentProtocol: v.parent?.trim() ? blankToUndefined(v.parentProtocol) : undefined,
    tls: blankToUndefined(v.tls),
    garbageCollection: v.gcEnabled === undefined && v.gcSchedule === undefined ? undefined : garbageCollectionOf(v.gcEnabled, v.gcSchedule),
  };
  return runAction(async () => {
    const actor = await actionActor();
    if (adopting && !v.syncToken?.trim()) throw ValidationError.field('syncToken', 'Choose the token to adopt as its sync token.');
    const created = await createConnectedRegistry(actor, parseInput(pathName, registry), parseInput(createConnectedRegistryInput, input));
    revalidateRegistryPages();
    // the connection string carries the new sync-token password: it goes to the reveal dialog once
    const deployment = edgeDeployment({
      name: created.name,
      parentIsCloud: created.parent === null,
      tls: created.tls,
      canopyUrl: publicUrl(),
    });
    return { name: created.name, connectionString: created.connectionString, note: created.note, deployment };
  });
}

export async function updateSyncSettingsAction(registry: string, name: string, settings: SyncSettings): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    const input = parseInput(updateConnectedRegistryInput, {
      syncSchedule: settings.syncSchedule,
      syncWindow: settings.syncWindow?.trim() ? settings.syncWindow : null,
      ...plainSyncSettingsOf(settings),
      loginServer: settings.loginServer,
      tls: settings.tls,
      garbageCollection: garbageCollectionOf(settings.gcEnabled, settings.gcSchedule),
    });
    await updateConnectedRegistry(actor, parseInput(pathName, registry), parseInput(pathName, name), input);
    revalidateRegistryPages();
    return undefined;
  }, 'Saved the sync settings.');
}

export async function updateNotificationsAction(registry: string, name: string, change: ListChange): Promise<ActionState> {
  return runAction(
    async () => {
      const actor = await actionActor();
      const input = parseInput(updateConnectedRegistryInput, { addNotifications: change.add, removeNotifications: change.remove });
      await updateConnectedRegistry(actor, parseInput(pathName, registry), parseInput(pathName, name), input);
      revalidateRegistryPages();
      return undefined;
    },
    change.add?.length ? `Added ${change.add.join(', ')}.` : `Removed ${change.remove?.join(', ')}.`,
  );
}

export async function updateClientTokensAction(registry: string, name: string, change: ListChange): Promise<ActionState> {
  return runAction(
    async () => {
      const actor = await actionActor();
      const input = parseInput(updateConnectedRegistryInput, { addClientTokens: change.add, removeClientTokens: change.remove });
      await updateConnectedRegistry(actor, parseInput(pathName, registry), parseInput(pathName, name), input);
      revalidateRegistryPages();
      return undefined;
    },
    change.add?.length ? `${name} now accepts ${change.add.join(', ')}.` : `${name} no longer accepts ${change.remove?.join(', ')}.`,
  );
}

export async function updateRepositoriesAction(registry: string, name: string, change: ListChange): Promise<ActionState> {
  return runAction(
    async () => {
      const actor = await actionActor();
      const input = parseInput(permissionsInput, { add: change.add ?? [], remove: change.remove ?? [] });
      await updatePermissions(actor, parseInput(pathName, registry), parseInput(pathName, name), input);
      revalidateRegistryPages();
      return undefined;
    },
    change.add?.length ? `Added ${change.add.join(', ')}.` : `Removed ${change.remove?.join(', ')}.`,
  );
}

export async function deactivateConnectedRegistryAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deactivateConnectedRegistry(actor, parseInput(pathName, registry), parseInput(pathName, name));
    revalidateRegistryPages();
    return undefined;
  }, `Deactivated ${name}: it can be deployed again.`);
}

export async function deleteConnectedRegistryAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deleteConnectedRegistry(actor, parseInput(pathName, registry), parseInput(pathName, name));
    revalidateRegistryPages();
    return undefined;
  }, `Deleted ${name}.`);
}

// The registry forms' values, strings as their inputs hold them, and where they start from.
// Pure: the client forms and the server pages both import it.
import {
  PLAIN_SYNC_SETTINGS,
  plainSyncSettingMeta,
  plainSyncSettingsOf,
  type ConnectedRegistryDto,
  type PlainSyncSetting,
} from './schemas';

/** The sync settings form's values; `gcEnabled` is 'true' or 'false' (garbage collection on or off). */
export type SyncSettings = Record<
  'syncSchedule' | 'syncWindow' | PlainSyncSetting | 'loginServer' | 'tls' | 'gcEnabled' | 'gcSchedule',
  string
>;

/** The sync settings form starts from the registry's own settings. */
export function syncSettingsFormValues(r: ConnectedRegistryDto): SyncSettings {
  return {
    syncSchedule: r.syncSchedule,
    syncWindow: r.syncWindow ?? '',
    ...plainSyncSettingsOf(r),
    loginServer: r.loginServer,
    tls: r.tls,
    gcEnabled: String(r.garbageCollection.enabled),
    gcSchedule: r.garbageCollection.schedule,
  };
}

/** The new-registry form starts each plain setting at its default. */
export function plainSyncSettingDefaults(): Record<PlainSyncSetting, string> {
  return Object.fromEntries(PLAIN_SYNC_SETTINGS.map((k) => [k, plainSyncSettingMeta(k).default])) as Record<PlainSyncSetting, string>;
}

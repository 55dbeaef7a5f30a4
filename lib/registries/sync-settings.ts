// The sync settings of a connected registry: the columns they are read from and their shape in
// both documents that carry them — the registry's DTO (REST, portal) and the configuration the
// gateway serves to its edge. The plain settings (schemas.ts) are read by their keys.
import type { ConnectedRegistry } from '@/lib/generated/prisma/client';
import { PLAIN_SYNC_SETTINGS, plainSyncSettingsOf, type PlainSyncSetting } from './schemas';

export const syncSettingsSelect = {
  syncSchedule: true,
  syncWindow: true,
  ...(Object.fromEntries(PLAIN_SYNC_SETTINGS.map((k) => [k, true])) as Record<PlainSyncSetting, true>),
  notifications: true,
  gcEnabled: true,
  gcSchedule: true,
} as const;

type SyncSettingsRow = Pick<ConnectedRegistry, keyof typeof syncSettingsSelect>;

export function syncSettingsOf(r: SyncSettingsRow) {
  return {
    syncSchedule: r.syncSchedule,
    syncWindow: r.syncWindow,
    ...plainSyncSettingsOf(r),
    notifications: r.notifications,
    garbageCollection: { enabled: r.gcEnabled, schedule: r.gcSchedule },
  };
}

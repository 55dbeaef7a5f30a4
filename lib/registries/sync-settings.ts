// The sync settings of a connected registry: the columns they are read from and their shape in
// both documents that carry them — the registry's DTO (REST, portal) and the configuration the
// gateway serves to its edge.
import type { ConnectedRegistry } from '@/lib/generated/prisma/client';

export const syncSettingsSelect = {
  syncSchedule: true,
  syncWindow: true,
  syncMessageTtl: true,
  logLevel: true,
  auditLogStatus: true,
  notifications: true,
  gcEnabled: true,
  gcSchedule: true,
} as const;

type SyncSettingsRow = Pick<ConnectedRegistry, keyof typeof syncSettingsSelect>;

export function syncSettingsOf(r: SyncSettingsRow) {
  return {
    syncSchedule: r.syncSchedule,
    syncWindow: r.syncWindow,
    syncMessageTtl: r.syncMessageTtl,
    logLevel: r.logLevel,
    auditLogStatus: r.auditLogStatus,
    notifications: r.notifications,
    garbageCollection: { enabled: r.gcEnabled, schedule: r.gcSchedule },
  };
}

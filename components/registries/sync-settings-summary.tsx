// A connected registry's sync settings as a reader sees them (the sync settings form's fields,
// read-only). The plain settings are listed by their schema's titles.
import { Property } from '@/components/ui/property';
import { describeSchedule } from '@/lib/registries/rules';
import { PLAIN_SYNC_SETTINGS, plainSyncSettingMeta, type ConnectedRegistryDto } from '@/lib/registries/schemas';

export function SyncSettingsSummary({ registry: r }: { registry: ConnectedRegistryDto }) {
  return (
    <dl className="divide-y divide-slate-100 dark:divide-slate-800">
      <Property label="Schedule">
        <code className="font-mono text-xs">{r.syncSchedule}</code> — {describeSchedule(r.syncSchedule)}
      </Property>
      <Property label="Sync window">{r.syncWindow ?? 'none (continuous)'}</Property>
      {PLAIN_SYNC_SETTINGS.map((k) => (
        <Property key={k} label={plainSyncSettingMeta(k).title}>
          {r[k]}
        </Property>
      ))}
      <Property label="Login server">
        <span className="font-mono text-xs">{r.loginServer}</span>
      </Property>
      <Property label="Login server TLS">{r.tls === 'Enabled' ? 'Enabled (https)' : 'Disabled (http)'}</Property>
      <Property label="Garbage collection">
        {r.garbageCollection.enabled ? (
          <>
            <code className="font-mono text-xs">{r.garbageCollection.schedule}</code> — {describeSchedule(r.garbageCollection.schedule)}
          </>
        ) : (
          'off'
        )}
      </Property>
    </dl>
  );
}

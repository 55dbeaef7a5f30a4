'use client';
// A connected registry's reported state, refreshed live: activation, connection state, last
// activity and last sync change when the on-premises registry reports, not when the admin acts.
import { useQuery } from '@tanstack/react-query';
import { Property } from '@/components/ui/property';
import { fetchConnectedRegistry, registryKeys } from '@/lib/registries/client-queries';
import type { ConnectedRegistryDto } from '@/lib/registries/schemas';
import { formatUtc } from '@/lib/registries/format';
import { ActivationBadge } from './activation-badge';
import { ConnectionState } from './connection-state';

export function LiveRegistryStatus({ registry, initial }: { registry: string; initial: ConnectedRegistryDto }) {
  const { data: r } = useQuery({
    queryKey: registryKeys.connected(registry, initial.name),
    queryFn: ({ signal }) => fetchConnectedRegistry(registry, initial.name, signal),
    initialData: initial,
    refetchInterval: 10_000,
  });
  return (
    <dl className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="live-registry-status">
      <Property label="Connection">
        <ConnectionState state={r.connectionState} notDeployed={r.lastActivityTime === null} />
      </Property>
      <Property label="Activation">
        <ActivationBadge status={r.activationStatus} />
      </Property>
      <Property label="Last activity">{formatUtc(r.lastActivityTime)}</Property>
      <Property label="Last sync">{formatUtc(r.lastSyncTime)}</Property>
      <Property label="Runtime version">{r.version ?? 'not reported yet'}</Property>
      {r.statusDetails != null && (
        <Property label="Status details">
          <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-slate-50 dark:bg-slate-800/60 p-2 font-mono text-xs">
            {JSON.stringify(r.statusDetails, null, 2)}
          </pre>
        </Property>
      )}
    </dl>
  );
}

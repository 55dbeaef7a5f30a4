'use client';
import { Property } from '@/components/ui/property';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowUpRight, Cloud, KeyRound, Plus, Power, PowerOff, Server, X } from 'lucide-react';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { RotateSyncCredentialsDialog } from '@/components/tokens/rotate-sync-credentials-dialog';
import { TokenStatusDialog } from '@/components/tokens/token-status-dialog';
import type { TokenStatus } from '@/lib/tokens/schemas';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { edgeDeployment } from '@/lib/gateway/edge-deployment';
import { FormMessage } from '@/components/ui/form-message';
import { formatUtc, plural } from '@/lib/registries/format';
import { connectedRegistryHref, fetchConnectedRegistry, newConnectedRegistryHref, registryKeys } from '@/lib/registries/client-queries';
import { describeSchedule, protocolFor } from '@/lib/registries/rules';
import { ROOT, type HierarchyTreeNode } from '@/lib/registries/tree-model';
import type { ConnectedRegistryDto } from '@/lib/registries/schemas';
import { ActivationBadge } from './activation-badge';
import { ConnectionStringButton } from './connection-string-button';
import { ConnectionState } from './connection-state';
import { DeactivateButton } from './deactivate-button';
import { SyncFailedBadge } from './sync-failed-badge';
import { SyncNowButton } from './sync-now-button';
import { ModeBadge } from './mode-badge';
import { SyncDisabledBadge } from './sync-disabled-badge';

type CloudInfo = { name: string; loginServer: string; dataEndpoint: string; region: string };

const linkButton = 'inline-flex items-center justify-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium transition-colors';

/** The selected registry's properties and quick actions, next to the tree. */
export function HierarchyDetailsPanel({
  cloud,
  node: known,
  registryCount,
  topLevelCount,
  selected,
  canEdit,
  canopyUrl,
  onClose,
}: {
  cloud: CloudInfo;
  /** the selected connected registry as the tree has it (undefined when not loaded: its details tell) */
  node: HierarchyTreeNode | undefined;
  /** how many connected registries the hierarchy has, and how many are directly under the cloud registry */
  registryCount: number;
  topLevelCount: number;
  selected: string;
  canEdit: boolean;
  /** where Canopy is reached: the edge's --canopy-url beside a rotated connection string */
  canopyUrl: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ key: string; text: string; ok?: boolean }>();
  const [statusTarget, setStatusTarget] = useState<TokenStatus | null>(null);
  const [rotating, setRotating] = useState(false);
  const detail = useQuery({
    queryKey: registryKeys.connected(cloud.name, selected || '-'),
    queryFn: ({ signal }) => fetchConnectedRegistry(cloud.name, selected, signal),
    enabled: selected !== ROOT,
    refetchInterval: 10_000,
  });
  const node = selected === ROOT ? null : (known ?? (detail.data && !detail.isError ? treeNodeOf(detail.data) : undefined));
  const childCount = node?.childCount ?? 0;
  // a connected parent's login-server TLS: the protocol Rotate offers first
  const parentName = node?.parent ?? null;
  const parentDetail = useQuery({
    queryKey: registryKeys.connected(cloud.name, parentName ?? '-'),
    queryFn: ({ signal }) => fetchConnectedRegistry(cloud.name, parentName!, signal),
    enabled: canEdit && parentName !== null,
  });

  const header = (icon: ReactNode, title: string, subtitle: ReactNode) => (
    <header className="flex items-start justify-between gap-3 border-b border-slate-200 dark:border-slate-800 px-4 py-3">
      <div className="flex min-w-0 items-start gap-2.5">
        <span className="mt-0.5">{icon}</span>
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400">{subtitle}</p>
        </div>
      </div>
      <button
        type="button"
        onClick={onClose}
        aria-label="Close the details"
        className="rounded p-1 text-slate-500 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        <X size={16} />
      </button>
    </header>
  );

  if (selected === ROOT) {
    return (
      <section
        aria-label={`Details of ${cloud.name}`}
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm"
      >
        {header(
          <Cloud size={18} className="text-brand-600 dark:text-brand-400" aria-hidden />,
          cloud.name,
          'Cloud registry · the root of this hierarchy',
        )}
        <dl className="divide-y divide-slate-100 dark:divide-slate-800 px-4 py-2">
          <Property compact label="Login server">
            <span className="font-mono text-xs">{cloud.loginServer}</span>
          </Property>
          <Property compact label="Data endpoint">
            <span className="font-mono text-xs">{cloud.dataEndpoint}</span>
          </Property>
          <Property compact label="Region">
            {cloud.region}
          </Property>
          <Property compact label="Registries">
            {plural(registryCount, 'connected registry', 'connected registries')}, {topLevelCount.toLocaleString('en')} directly under it
          </Property>
        </dl>
        {canEdit && (
          <footer className="flex flex-wrap gap-2 border-t border-slate-200 dark:border-slate-800 px-4 py-3">
            <Link href={newConnectedRegistryHref(cloud.name)} className={`${linkButton} bg-brand-600 text-white hover:bg-brand-700`}>
              <Plus size={14} aria-hidden /> Add connected registry
            </Link>
          </footer>
        )}
      </section>
    );
  }

  if (!node && !detail.isError) {
    return (
      <section
        aria-label="Details"
        aria-busy
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-4 text-sm text-slate-600 dark:text-slate-400 shadow-sm"
      >
        Loading {selected}…
      </section>
    );
  }

  if (!node) {
    return (
      <section
        aria-label="Details"
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-4 text-sm text-slate-600 dark:text-slate-400 shadow-sm"
      >
        {selected} is no longer in this hierarchy (it was deleted).
      </section>
    );
  }

  const d = detail.data;
  return (
    <section
      aria-label={`Details of ${node.name}`}
      className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm"
    >
      {header(
        <Server size={18} className="text-slate-500 dark:text-slate-400" aria-hidden />,
        node.name,
        <>Connected registry under {node.parent ?? `${cloud.name} (cloud)`}</>,
      )}
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 dark:border-slate-800 px-4 py-2.5">
        <ModeBadge mode={node.mode} />
        <ConnectionState state={node.connectionState} notDeployed={node.notDeployed} />
        {!node.notDeployed && <ActivationBadge status={node.activationStatus} />}
        {node.disabled && <SyncDisabledBadge />}
        {node.syncFailed && <SyncFailedBadge />}
      </div>
      <dl className="divide-y divide-slate-100 dark:divide-slate-800 px-4 py-2">
        <Property compact label="Login server">
          <span className="font-mono text-xs">{d ? d.loginServer : '…'}</span>
        </Property>
        <Property compact label="Parent">
          {node.parent ?? `${cloud.name} (cloud registry)`}
        </Property>
        <Property compact label="Children">
          {childCount}
        </Property>
        <Property compact label="Last activity">
          {d ? formatUtc(d.lastActivityTime) : '…'}
        </Property>
        <Property compact label="Sync token">
          {d ? (
            <span className="inline-flex items-center gap-2">
              <span className="font-mono text-xs">{d.syncToken}</span>
              {d.disabled ? <SyncDisabledBadge /> : <Badge tone="green">enabled</Badge>}
            </span>
          ) : (
            '…'
          )}
        </Property>
        <Property compact label="Schedule">
          {d ? describeSchedule(d.syncSchedule) : '…'}
        </Property>
        {d?.syncWindow && (
          <Property compact label="Sync window">
            {d.syncWindow}
          </Property>
        )}
        <Property compact label="Message TTL">
          {d ? d.syncMessageTtl : '…'}
        </Property>
        <Property compact label="Repositories">
          {d ? (
            d.repositories.length ? (
              <span className="flex flex-wrap gap-1">
                {d.repositories.slice(0, 8).map((r) => (
                  <code key={r} className="rounded bg-slate-100 dark:bg-slate-800 px-1.5 py-0.5 text-xs">
                    {r}
                  </code>
                ))}
                {d.repositories.length > 8 && (
                  <span className="text-xs text-slate-500 dark:text-slate-400">and {d.repositories.length - 8} more</span>
                )}
              </span>
            ) : (
              'none'
            )
          ) : (
            '…'
          )}
        </Property>
        <Property compact label="Client tokens">
          {d ? (d.clientTokens.length ? d.clientTokens.join(', ') : 'none') : '…'}
        </Property>
        <Property compact label="Last sync">
          {d ? formatUtc(d.lastSyncTime) : '…'}
        </Property>
      </dl>
      {detail.error && <p className="px-4 pb-2 text-xs text-red-700 dark:text-red-400">{detail.error.message}</p>}
      <div className="px-4">
        <FormMessage ok={message?.ok ?? true} message={message?.key === node.name ? message.text : undefined} />
      </div>
      <footer className="flex flex-wrap gap-2 border-t border-slate-200 dark:border-slate-800 px-4 py-3">
        <Link href={connectedRegistryHref(cloud.name, node.name)} className={`${linkButton} bg-brand-600 text-white hover:bg-brand-700`}>
          <ArrowUpRight size={14} aria-hidden /> Open
        </Link>
        {canEdit && (
          <>
            <Link
              href={newConnectedRegistryHref(cloud.name, node.name)}
              className={`${linkButton} border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 text-slate-800 dark:text-slate-200 hover:bg-slate-50 dark:hover:bg-slate-800/60`}
            >
              <Plus size={14} aria-hidden /> Add child
            </Link>
            <SyncNowButton
              registry={cloud.name}
              name={node.name}
              size="sm"
              onDone={(text, ok) => setMessage({ key: node.name, text, ok })}
            />
            {d && (
              <>
                <Button variant="secondary" size="sm" onClick={() => setStatusTarget(d.disabled ? 'enabled' : 'disabled')}>
                  {d.disabled ? <Power size={14} aria-hidden /> : <PowerOff size={14} aria-hidden />} {d.disabled ? 'Enable' : 'Disable'}
                </Button>
                <Button variant="secondary" size="sm" onClick={() => setRotating(true)}>
                  <KeyRound size={14} aria-hidden /> Rotate sync credentials
                </Button>
              </>
            )}
            <DeactivateButton
              registry={cloud.name}
              name={node.name}
              activationStatus={node.activationStatus}
              size="sm"
              onDone={(text) => setMessage({ key: node.name, text })}
            />
          </>
        )}
        <ConnectionStringButton
          registry={cloud.name}
          name={node.name}
          canRotate={canEdit}
          size="sm"
          onError={(text) => setMessage({ key: node.name, text, ok: false })}
        />
      </footer>
      {canEdit && d && (
        <>
          <TokenStatusDialog
            registry={cloud.name}
            token={{ name: d.syncToken, kind: 'sync', syncRegistry: node.name }}
            target={statusTarget}
            onClose={() => setStatusTarget(null)}
            onChanged={(_, text) => {
              setMessage({ key: node.name, text });
              // the tree's badge and these details
              void queryClient.invalidateQueries({ queryKey: registryKeys.registry(cloud.name) });
            }}
          />
          <RotateSyncCredentialsDialog
            registry={cloud.name}
            name={node.name}
            syncToken={d.syncToken}
            open={rotating}
            onOpenChange={setRotating}
            parentIsCloud={node.parent === null}
            parentProtocol={parentDetail.data ? protocolFor(parentDetail.data.tls) : 'https'}
            deployment={edgeDeployment({ name: node.name, parentIsCloud: node.parent === null, tls: d.tls, canopyUrl })}
            onRotated={() => setMessage(undefined)}
          />
        </>
      )}
    </section>
  );
}

/** A registry the tree has not loaded (a link to one deep in a big hierarchy), drawn from its details. */
function treeNodeOf(d: ConnectedRegistryDto): HierarchyTreeNode {
  return {
    name: d.name,
    parent: d.parent,
    mode: d.mode,
    connectionState: d.connectionState,
    activationStatus: d.activationStatus,
    notDeployed: d.lastActivityTime === null,
    disabled: d.disabled,
    syncFailed: false,
    childCount: d.childCount,
  };
}

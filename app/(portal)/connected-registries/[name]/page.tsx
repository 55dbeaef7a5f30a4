import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, ChevronRight, Cloud, Network, Plus, Server } from 'lucide-react';
import { ActivationBadge } from '@/components/registries/activation-badge';
import { ClientTokensEditor } from '@/components/registries/client-tokens-editor';
import { ConnectionState } from '@/components/registries/connection-state';
import { DeactivateButton } from '@/components/registries/deactivate-button';
import { DeleteRegistryButton } from '@/components/registries/delete-registry-button';
import { ModeBadge } from '@/components/registries/mode-badge';
import { NotificationsEditor } from '@/components/registries/notifications-editor';
import { RepositoriesEditor } from '@/components/registries/repositories-editor';
import { SyncDisabledBadge } from '@/components/registries/sync-disabled-badge';
import { SyncFailedBadge } from '@/components/registries/sync-failed-badge';
import { SyncHistory } from '@/components/registries/sync-history';
import { SyncNowButton } from '@/components/registries/sync-now-button';
import { RegistrySyncControls } from '@/components/tokens/registry-sync-controls';
import { LiveRegistryStatus } from '@/components/registries/live-registry-status';
import { Property } from '@/components/ui/property';
import { SyncSettingsForm } from '@/components/registries/sync-settings-form';
import { SyncSettingsSummary } from '@/components/registries/sync-settings-summary';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { FormMessage } from '@/components/ui/form-message';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { connectedRegistryHref, newConnectedRegistryHref } from '@/lib/registries/client-queries';
import { getConnectedRegistry, listClientTokens, listConnectedRegistries } from '@/lib/registries/queries';
import { listSyncRuns } from '@/lib/sync/queries';
import { formatUtc } from '@/lib/registries/format';
import { syncSettingsFormValues } from '@/lib/registries/form-values';
import { scopeMapHref, tokenHref } from '@/lib/tokens/hrefs';
import { protocolFor } from '@/lib/registries/rules';
import { publicUrl, tokenIssuer, tokenRealm } from '@/lib/config';
import { edgeDeployment } from '@/lib/gateway/edge-deployment';
import { EdgeDeployInstructions } from '@/components/registries/edge-deploy-instructions';
import { distributionConfig } from '@/lib/token-service/settings';
import { ancestorsOf, chooseCloudRegistry, cloudRegistryOptions, connectedLoginServer, registryEndpoints } from '@/lib/registries/views';

type Params = { name: string };
type Search = { registry?: string; created?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: (await params).name };
}

/** Loads what the page shows; null when the registry (or its cloud registry) does not exist. */
async function load(requestedRegistry: string | undefined, name: string) {
  try {
    const cloud = chooseCloudRegistry(await cloudRegistryOptions(), requestedRegistry);
    if (!cloud) return null;
    const registry = await getConnectedRegistry(cloud.name, name);
    const [clientTokens, ancestors, children, parentLoginServer, syncRuns] = await Promise.all([
      listClientTokens(cloud.name, registry.name),
      ancestorsOf(cloud.name, registry.name),
      listConnectedRegistries(cloud.name, { parent: registry.name, children: 'direct', limit: 50 }),
      registry.parent ? connectedLoginServer(cloud.name, registry.parent) : Promise.resolve(null),
      listSyncRuns(cloud.name, registry.name, { limit: 50 }),
    ]);
    return { cloud, registry, clientTokens, ancestors, children, parentLoginServer, syncRuns };
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export default async function ConnectedRegistryPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const canEdit = hasRole(actor, 'Contributor');
  const [{ name }, search] = await Promise.all([params, searchParams]);
  const data = await load(search.registry, name);
  if (!data) notFound();
  const { cloud, registry: r, clientTokens, ancestors, children, parentLoginServer, syncRuns } = data;
  const lastFinished = syncRuns.items.find((run) => run.kind === 'sync' && run.status !== 'Running');
  const endpoints = registryEndpoints(r, cloud, parentLoginServer);
  const parentProtocol = parentLoginServer ? protocolFor(parentLoginServer.tls) : 'https';
  const forDescendants = r.repositories.filter((repo) => !r.ownRepositories.includes(repo));
  const hierarchyHref = `/hierarchy?registry=${encodeURIComponent(cloud.name)}`;
  const deployment = edgeDeployment({ name: r.name, parentIsCloud: r.parent === null, tls: r.tls, canopyUrl: publicUrl() });

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 flex flex-wrap items-center gap-1 text-sm text-slate-600 dark:text-slate-400">
        <Link
          href={hierarchyHref}
          className="inline-flex min-w-0 items-center gap-1 wrap-anywhere hover:text-slate-900 dark:hover:text-slate-100"
        >
          <ArrowLeft size={14} aria-hidden /> <Cloud size={14} aria-hidden className="text-brand-600 dark:text-brand-400" /> {cloud.name}
        </Link>
        {ancestors.map(({ name: a }) => (
          <span key={a} className="inline-flex min-w-0 items-center gap-1 wrap-anywhere">
            <ChevronRight size={13} aria-hidden className="text-slate-400 dark:text-slate-500" />
            <Link href={connectedRegistryHref(cloud.name, a)} className="hover:text-slate-900 dark:hover:text-slate-100">
              {a}
            </Link>
          </span>
        ))}
        <span className="inline-flex min-w-0 items-center gap-1 wrap-anywhere">
          <ChevronRight size={13} aria-hidden className="shrink-0 text-slate-400 dark:text-slate-500" />
          <span aria-current="page" className="min-w-0 font-medium text-slate-900 dark:text-slate-100">
            {r.name}
          </span>
        </span>
      </nav>

      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 max-w-full">
          <h1 className="flex min-w-0 items-center gap-2 text-2xl font-semibold tracking-tight text-slate-900 dark:text-slate-100">
            <Server size={22} aria-hidden className="text-slate-400 dark:text-slate-500" /> {r.name}
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <ModeBadge mode={r.mode} />
            <ConnectionState state={r.connectionState} notDeployed={r.lastActivityTime === null} />
            {r.lastActivityTime !== null && <ActivationBadge status={r.activationStatus} />}
            {r.disabled && <SyncDisabledBadge />}
            {lastFinished?.status === 'Failed' && <SyncFailedBadge />}
            <span className="min-w-0 text-sm text-slate-500 wrap-anywhere dark:text-slate-400">
              under {r.parent ?? `${cloud.name} (cloud registry)`} · {r.childCount} {r.childCount === 1 ? 'child' : 'children'}
            </span>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Link
            href={`${hierarchyHref}&node=${encodeURIComponent(r.name)}`}
            className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3.5 py-2 text-sm font-medium text-slate-800 dark:text-slate-200 hover:bg-slate-50 dark:hover:bg-slate-800/60"
          >
            <Network size={15} aria-hidden /> Show in tree
          </Link>
          {canEdit && (
            <>
              <Link
                href={newConnectedRegistryHref(cloud.name, r.name)}
                className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3.5 py-2 text-sm font-medium text-slate-800 dark:text-slate-200 hover:bg-slate-50 dark:hover:bg-slate-800/60"
              >
                <Plus size={15} aria-hidden /> Add child
              </Link>
              <SyncNowButton registry={cloud.name} name={r.name} />
              <DeactivateButton registry={cloud.name} name={r.name} activationStatus={r.activationStatus} />
              <DeleteRegistryButton
                registry={cloud.name}
                name={r.name}
                syncToken={r.syncToken}
                syncScopeMap={r.syncScopeMap}
                syncTokenAdopted={r.syncTokenAdopted}
                ancestorScopeMaps={ancestors.map((a) => a.syncScopeMap)}
                childCount={r.childCount}
              />
            </>
          )}
        </div>
      </div>

      {search.created && (
        <div className="mb-6">
          <FormMessage ok message={`Created ${r.name}, with its sync token ${r.syncToken} and its sync scope map ${r.syncScopeMap}.`} />
        </div>
      )}

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Sync credentials and status">
            <RegistrySyncControls
              registry={cloud.name}
              name={r.name}
              syncToken={r.syncToken}
              disabled={r.disabled}
              canEdit={canEdit}
              parentIsCloud={r.parent === null}
              parentProtocol={parentProtocol}
              deployment={deployment}
            />
          </Card>
          <Card title="Sync history">
            <SyncHistory registry={cloud.name} name={r.name} initial={syncRuns} />
          </Card>
          <Card title="Deploy with Canopy Edge">
            <EdgeDeployInstructions deployment={deployment} heading={false}>
              <p className="text-slate-600 dark:text-slate-400">
                The connection string is shown once, when the registry is created or its sync credentials are rotated
                {canEdit ? ' (Rotate sync credentials, above)' : ''}; the edge reads it from a file.
              </p>
            </EdgeDeployInstructions>
          </Card>
          <Card title="Sync settings">
            {canEdit ? (
              <SyncSettingsForm registry={cloud.name} name={r.name} initial={syncSettingsFormValues(r)} />
            ) : (
              <SyncSettingsSummary registry={r} />
            )}
          </Card>

          <Card title="Repositories">
            <RepositoriesEditor
              registry={cloud.name}
              name={r.name}
              own={r.ownRepositories}
              forDescendants={forDescendants}
              hasDescendants={r.childCount > 0}
              canEdit={canEdit}
            />
          </Card>

          <Card title="Client tokens">
            <ClientTokensEditor registry={cloud.name} name={r.name} mode={r.mode} tokens={clientTokens} canEdit={canEdit} />
          </Card>

          <Card title="Notifications">
            <NotificationsEditor registry={cloud.name} name={r.name} notifications={r.notifications} canEdit={canEdit} />
          </Card>
        </div>

        <div className="space-y-6">
          <Card title="Status">
            <LiveRegistryStatus registry={cloud.name} initial={r} />
          </Card>

          <Card title="Endpoints">
            <div className="space-y-4 text-sm">
              <div>
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  For clients (client tokens)
                </h3>
                <div className="mt-1.5 flex items-center justify-between gap-2">
                  <code className="min-w-0 truncate font-mono text-xs text-slate-900 dark:text-slate-100">{endpoints.client.host}</code>
                  <CopyButton value={endpoints.client.host} />
                </div>
                <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{endpoints.client.purpose}</p>
              </div>
              <div>
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  For syncing (its sync token)
                </h3>
                <ul className="mt-1.5 space-y-3">
                  {endpoints.sync.map((e) => (
                    <li key={e.label}>
                      <p className="text-xs font-medium text-slate-700 dark:text-slate-300">{e.label}</p>
                      <div className="flex items-center justify-between gap-2">
                        <code className="truncate font-mono text-xs text-slate-900 dark:text-slate-100">{e.host}</code>
                        <CopyButton value={e.host} />
                      </div>
                      <p className="text-xs text-slate-500 dark:text-slate-400">{e.purpose}</p>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </Card>

          <Card
            title="Token service"
            actions={
              <CopyButton value={distributionConfig({ realm: tokenRealm(), issuer: tokenIssuer() }, r.serviceName)} label="Copy block" />
            }
          >
            <div className="space-y-2 text-sm">
              <p className="text-xs font-medium text-slate-700 dark:text-slate-300">Service name</p>
              <div className="flex items-center justify-between gap-2">
                <code className="truncate font-mono text-xs text-slate-900 dark:text-slate-100" data-testid="service-name">
                  {r.serviceName}
                </code>
                <CopyButton value={r.serviceName} />
              </div>
              {r.loginServerDetached ? (
                <p role="status" className="rounded-md bg-amber-50 dark:bg-amber-950/40 p-2 text-xs text-amber-900 dark:text-amber-200">
                  Its login server {r.loginServer} is a cloud registry&apos;s, so Canopy&apos;s token service grants it nothing there. Give
                  it a login server of its own; until then use the service name.
                </p>
              ) : r.loginServerSharedWith.length > 0 ? (
                <p
                  role="status"
                  className="rounded-md bg-amber-50 dark:bg-amber-950/40 p-2 text-xs text-amber-900 dark:text-amber-200"
                  data-testid="login-server-shared"
                >
                  Its login server {r.loginServer} is shared with {r.loginServerSharedWith.join(', ')}: the token service refuses it as a
                  service (ambiguous). Configure the registry with its service name.
                </p>
              ) : (
                <p className="text-xs break-words text-slate-500 dark:text-slate-400">
                  The token service accepts it always; its login server {r.loginServer} works too while no other registry shares it.
                </p>
              )}
              <pre
                data-testid="registry-distribution-config"
                tabIndex={0}
                className="overflow-auto rounded-md bg-slate-900 dark:bg-slate-950 p-3 text-xs text-emerald-200"
              >
                {distributionConfig({ realm: tokenRealm(), issuer: tokenIssuer() }, r.serviceName)}
              </pre>
            </div>
          </Card>

          <Card title="Sync credentials">
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Property label="Sync token">
                <span className="flex flex-wrap items-center gap-2">
                  <Link
                    href={tokenHref(cloud.name, r.syncToken)}
                    className="font-mono text-xs text-brand-700 dark:text-brand-400 hover:underline"
                  >
                    {r.syncToken}
                  </Link>
                  {r.disabled ? <SyncDisabledBadge /> : <Badge tone="green">enabled</Badge>}
                </span>
              </Property>
              <Property label="Sync scope map">
                <Link
                  href={scopeMapHref(cloud.name, r.syncScopeMap)}
                  className="font-mono text-xs text-brand-700 dark:text-brand-400 hover:underline"
                >
                  {r.syncScopeMap}
                </Link>
              </Property>
            </dl>
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
              {r.disabled
                ? `Its sync token is disabled: ${r.name} cannot sync until it is enabled again.`
                : 'Disable the sync token to stop it syncing; rotate it for a new connection string.'}{' '}
              <Link href={tokenHref(cloud.name, r.syncToken)} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                Manage the sync token →
              </Link>
            </p>
          </Card>

          <Card title={`Children (${r.childCount})`}>
            {children.items.length === 0 ? (
              <p className="text-sm text-slate-500 dark:text-slate-400">No connected registry syncs through {r.name}.</p>
            ) : (
              <ul className="divide-y divide-slate-100 dark:divide-slate-800">
                {children.items.map((c) => (
                  // the badges go under a name too long to share their line (50 characters at most)
                  <li key={c.name} className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1 py-2 text-sm">
                    <Link
                      href={connectedRegistryHref(cloud.name, c.name)}
                      className="font-medium text-brand-700 dark:text-brand-400 hover:underline"
                    >
                      {c.name}
                    </Link>
                    <span className="flex shrink-0 items-center gap-2">
                      <ModeBadge mode={c.mode} />
                      <ConnectionState state={c.connectionState} notDeployed={c.lastActivityTime === null} />
                    </span>
                  </li>
                ))}
                {children.next && (
                  <li className="py-2 text-sm">
                    <Link
                      href={`/connected-registries?registry=${encodeURIComponent(cloud.name)}&parent=${encodeURIComponent(r.name)}&children=direct`}
                      className="text-brand-700 dark:text-brand-400 hover:underline"
                    >
                      All {r.childCount} children →
                    </Link>
                  </li>
                )}
              </ul>
            )}
          </Card>

          <Card title="Properties">
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Property label="Cloud registry">{cloud.name}</Property>
              <Property label="Parent">
                {r.parent ? (
                  <Link href={connectedRegistryHref(cloud.name, r.parent)} className="text-brand-700 dark:text-brand-400 hover:underline">
                    {r.parent}
                  </Link>
                ) : (
                  `${cloud.name} (cloud registry)`
                )}
              </Property>
              <Property label="Mode">{r.mode}</Property>
              <Property label="Created">{formatUtc(r.createdAt)}</Property>
              <Property label="Updated">{formatUtc(r.updatedAt)}</Property>
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}

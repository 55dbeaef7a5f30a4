import type { Metadata } from 'next';
import Link from 'next/link';
import { Boxes } from 'lucide-react';
import { ActivationBadge } from '@/components/registries/activation-badge';
import { ConnectedRegistriesFilters, type ConnectedRegistryFilterValues } from '@/components/registries/connected-registries-filters';
import { ConnectionState } from '@/components/registries/connection-state';
import { ModeBadge } from '@/components/registries/mode-badge';
import { NoCloudRegistry } from '@/components/registries/no-cloud-registry';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { SyncDisabledBadge } from '@/components/registries/sync-disabled-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPager } from '@/components/ui/list-pager';
import { ListSort } from '@/components/ui/list-sort';
import { FormMessage } from '@/components/ui/form-message';
import { NewItemLink } from '@/components/ui/new-item-link';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { connectedRegistryHref, newConnectedRegistryHref } from '@/lib/registries/client-queries';
import { connectedRegistryNames, listConnectedRegistries } from '@/lib/registries/queries';
import { formatUtc } from '@/lib/registries/format';
import { listConnectedRegistriesQuery } from '@/lib/registries/schemas';
import { pageCloudRegistry } from '@/lib/registries/views';

export const metadata: Metadata = { title: 'Connected registries' };

type Search = ConnectedRegistryFilterValues & { registry?: string; cursor?: string };

const PAGE_SIZE = 25;

const SORTS = [
  { key: 'name', label: 'Name', order: 'asc' },
  { key: 'created', label: 'Created', order: 'desc' },
  { key: 'lastActivity', label: 'Last activity', order: 'desc' },
] as const;

/** Past this many registries, the parent filter offers no list of names (type one). */
const PARENT_PICKER_MAX = 500;

export default async function ConnectedRegistriesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const canEdit = hasRole(actor, 'Contributor');
  const search = await searchParams;
  const { registries: options, current: cloud } = await pageCloudRegistry(search.registry);
  if (!cloud) {
    return (
      <>
        <PageHeader title="Connected registries" description="The on-premises registries that sync with a parent." />
        <NoCloudRegistry icon={<Boxes size={32} aria-hidden />} title="No cloud registry yet" />
      </>
    );
  }

  // empty inputs of the GET form arrive as "": they mean "any"
  const filters: ConnectedRegistryFilterValues = {
    q: search.q?.trim() || undefined,
    mode: search.mode || undefined,
    connectionState: search.connectionState || undefined,
    parent: search.parent?.trim() || undefined,
    children: search.children === 'direct' ? 'direct' : undefined,
    sort: search.sort || undefined,
    order: search.order || undefined,
  };
  const parsed = listConnectedRegistriesQuery.safeParse({ ...filters, cursor: search.cursor, limit: PAGE_SIZE });
  let problem: string | null = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'These filters are not valid.');
  let page: Awaited<ReturnType<typeof listConnectedRegistries>> = { items: [], next: null, prev: null, total: 0, totalCapped: false };
  if (parsed.success) {
    try {
      page = await listConnectedRegistries(cloud.name, parsed.data);
    } catch (error) {
      // an unknown parent or a stale cursor is the user's filter, not a broken page
      if (error instanceof AppError && error.status < 500) problem = error.message;
      else throw error;
    }
  }
  const parentNames = await connectedRegistryNames(cloud.name, PARENT_PICKER_MAX);

  const hrefWith = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams({ registry: cloud.name });
    for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
    return `/connected-registries?${params}`;
  };
  const filtered = Boolean(filters.q || filters.mode || filters.connectionState || filters.parent || filters.children);

  return (
    <>
      <PageHeader
        title="Connected registries"
        description={`The on-premises registries under ${cloud.name}.`}
        actions={
          <>
            <RegistrySwitcher registries={options} current={cloud.name} />
            {canEdit && <NewItemLink href={newConnectedRegistryHref(cloud.name)}>New connected registry</NewItemLink>}
          </>
        }
      />
      <ConnectedRegistriesFilters key={cloud.name} registry={cloud.name} values={filters} parentNames={parentNames ?? []} />
      {problem && (
        <div className="mb-4">
          <FormMessage message={problem} />
        </div>
      )}
      <ListSort
        options={SORTS}
        sort={parsed.data?.sort}
        order={parsed.data?.order}
        hrefFor={(key, nextOrder) => hrefWith({ sort: key, order: nextOrder })}
      />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Boxes size={32} aria-hidden />}
          title={filtered ? 'No connected registry matches' : 'No connected registries yet'}
        >
          {filtered
            ? 'Change or clear the filters.'
            : canEdit
              ? 'Add the first one: it syncs with the cloud registry, and others can sync with it.'
              : 'Connected registries added to this cloud registry are listed here.'}
        </EmptyState>
      ) : (
        <Table caption={`Connected registries of ${cloud.name}`}>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Mode</Th>
              <Th>State</Th>
              <Th>Parent</Th>
              <Th>Login server</Th>
              <Th className="text-right">Children</Th>
              <Th className="text-right">Repositories</Th>
              <Th>Last activity</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {page.items.map((r) => (
              <tr key={r.name} data-testid="connected-registry-row" className="hover:bg-slate-50 dark:hover:bg-slate-800/60">
                <Td>
                  <span className="flex items-center gap-2">
                    <Link
                      href={connectedRegistryHref(cloud.name, r.name)}
                      className="min-w-0 font-medium break-all text-brand-700 dark:text-brand-400 hover:underline"
                    >
                      {r.name}
                    </Link>
                    {r.disabled && <SyncDisabledBadge />}
                  </span>
                </Td>
                <Td>
                  <ModeBadge mode={r.mode} />
                </Td>
                <Td>
                  <span className="flex flex-col items-start gap-1">
                    <ConnectionState state={r.connectionState} notDeployed={r.lastActivityTime === null} />
                    {r.lastActivityTime !== null && <ActivationBadge status={r.activationStatus} />}
                  </span>
                </Td>
                <Td className="break-all">
                  {r.parent ? (
                    <Link href={connectedRegistryHref(cloud.name, r.parent)} className="text-slate-800 dark:text-slate-200 hover:underline">
                      {r.parent}
                    </Link>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">{cloud.name} (cloud)</span>
                  )}
                </Td>
                <Td className="font-mono text-xs break-all">{r.loginServer}</Td>
                <Td className="text-right tabular-nums">{r.childCount}</Td>
                <Td className="text-right tabular-nums" title={r.repositories.join(', ')}>
                  {r.repositories.length}
                </Td>
                <Td className="whitespace-nowrap text-xs text-slate-600 dark:text-slate-400">{formatUtc(r.lastActivityTime)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ListPager noun="connected registries" page={page} hrefFor={(cursor) => hrefWith({ cursor })} />
    </>
  );
}

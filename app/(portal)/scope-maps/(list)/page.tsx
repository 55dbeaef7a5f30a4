import type { Metadata } from 'next';
import { ShieldCheck } from 'lucide-react';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { ScopeMapFilters } from '@/components/scope-maps/scope-map-filters';
import { ScopeMapsTable } from '@/components/scope-maps/scope-maps-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPager } from '@/components/ui/list-pager';
import { ListSort } from '@/components/ui/list-sort';
import { PageLinkNotice } from '@/components/ui/page-link-notice';
import { NewItemLink } from '@/components/ui/new-item-link';
import { PageHeader } from '@/components/ui/page-header';
import { listFromPageLink } from '@/lib/api/pagination';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { pageCloudRegistry } from '@/lib/registries/views';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import { listScopeMapsQuery } from '@/lib/scope-maps/schemas';
import { newScopeMapHref } from '@/lib/tokens/hrefs';

export const metadata: Metadata = { title: 'Scope maps' };

type Search = { registry?: string; kind?: string; q?: string; sort?: string; order?: string; cursor?: string };

const SORTS = [
  { key: 'name', label: 'Name', order: 'asc' },
  { key: 'created', label: 'Created', order: 'desc' },
] as const;

const PAGE_SIZE = 50;

function listHref(registry: string, params: Record<string, string | undefined>) {
  const search = new URLSearchParams({ registry });
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  return `/scope-maps?${search}`;
}

export default async function ScopeMapsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const search = await searchParams;
  const { registries, current } = await pageCloudRegistry(search.registry);
  const header = (
    <PageHeader
      title="Scope maps"
      description="Named sets of actions that say what a token may do. A change applies at once to every token that uses the map."
      actions={
        current && (
          <>
            <RegistrySwitcher registries={registries} current={current.name} />
            {hasRole(actor, 'Contributor') && <NewItemLink href={newScopeMapHref(current.name)}>New scope map</NewItemLink>}
          </>
        )
      }
    />
  );
  if (!current) {
    return (
      <>
        {header}
        <CloudRegistryRequired what="Scope maps" />
      </>
    );
  }
  const parsed = listScopeMapsQuery.safeParse({ ...search, limit: PAGE_SIZE });
  const listed = await listFromPageLink(parsed.success ? parsed.data : listScopeMapsQuery.parse({ limit: PAGE_SIZE }), (q) =>
    listScopeMaps(current.name, q),
  );
  const { page, query } = listed;
  const filterParams = {
    kind: query.kind === 'all' ? undefined : query.kind,
    q: query.q || undefined,
    sort: query.sort,
    order: query.order,
  };

  return (
    <>
      {header}
      <ScopeMapFilters registry={current.name} values={{ kind: query.kind, q: query.q, sort: query.sort, order: query.order }} />
      <PageLinkNotice show={listed.cursorRejected || (Boolean(search.cursor) && !parsed.success)} />
      <ListSort
        options={SORTS}
        sort={query.sort}
        order={query.order}
        hrefFor={(sort, order) => listHref(current.name, { ...filterParams, sort, order })}
      />
      {page.items.length === 0 ? (
        <EmptyState icon={<ShieldCheck size={32} aria-hidden />} title="No scope maps match">
          Change or clear the filters. Every cloud registry has the system scope maps; yours and the sync scope maps appear here too.
        </EmptyState>
      ) : (
        <ScopeMapsTable registry={current.name} scopeMaps={page.items} />
      )}
      <ListPager noun="scope maps" page={page} hrefFor={(cursor) => listHref(current.name, { ...filterParams, cursor })} />
    </>
  );
}

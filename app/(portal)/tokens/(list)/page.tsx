import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { TokenFilters, type TokenFilterValues } from '@/components/tokens/token-filters';
import { TokensTable } from '@/components/tokens/tokens-table';
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
import { newTokenHref, tokensHref } from '@/lib/tokens/hrefs';
import { renderTime } from '@/lib/tokens/format';
import { listTokens } from '@/lib/tokens/queries';
import { listTokensQuery } from '@/lib/tokens/schemas';

export const metadata: Metadata = { title: 'Tokens' };

type Search = {
  registry?: string;
  kind?: string;
  status?: string;
  expiring?: string;
  q?: string;
  sort?: string;
  order?: string;
  cursor?: string;
};

const SORTS = [
  { key: 'name', label: 'Name', order: 'asc' },
  { key: 'created', label: 'Created', order: 'desc' },
  { key: 'lastUsed', label: 'Last used', order: 'desc' },
  { key: 'state', label: 'State', order: 'asc' },
] as const;

const PAGE_SIZE = 25;

export default async function TokensPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const search = await searchParams;
  const { registries, current } = await pageCloudRegistry(search.registry);
  const header = (
    <PageHeader
      title="Tokens"
      description="Client tokens that on-premises clients log in with, and the sync tokens of connected registries."
      actions={
        current && (
          <>
            <RegistrySwitcher registries={registries} current={current.name} />
            {hasRole(actor, 'Contributor') && <NewItemLink href={newTokenHref(current.name)}>New token</NewItemLink>}
          </>
        )
      }
    />
  );
  if (!current) {
    return (
      <>
        {header}
        <CloudRegistryRequired what="Tokens" />
      </>
    );
  }

  // a hand-edited URL with a bad filter falls back to no filter rather than failing the page
  const parsed = listTokensQuery.safeParse({ ...search, limit: PAGE_SIZE });
  const listed = await listFromPageLink(parsed.success ? parsed.data : listTokensQuery.parse({ limit: PAGE_SIZE }), (q) =>
    listTokens(current.name, q),
  );
  const { page, query } = listed;
  const values: TokenFilterValues = {
    kind: query.kind,
    status: query.status,
    expiring: query.expiring === 'true',
    q: query.q,
    sort: query.sort,
    order: query.order,
  };
  const filterParams = {
    kind: query.kind === 'all' ? undefined : query.kind,
    status: query.status,
    expiring: query.expiring === 'true' ? 'true' : undefined,
    q: query.q || undefined,
    sort: query.sort,
    order: query.order,
  };
  const filtered = Boolean(filterParams.kind || filterParams.status || filterParams.expiring || filterParams.q);
  const now = renderTime();

  return (
    <>
      {header}
      <TokenFilters registry={current.name} values={values} />
      <PageLinkNotice show={listed.cursorRejected || (Boolean(search.cursor) && !parsed.success)} />
      <ListSort
        options={SORTS}
        sort={query.sort}
        order={query.order}
        hrefFor={(sort, order) => tokensHref(current.name, { ...filterParams, sort, order })}
      />
      {page.items.length === 0 ? (
        <EmptyState icon={<KeyRound size={32} aria-hidden />} title={filtered ? 'No tokens match' : `No tokens in ${current.name} yet`}>
          {filtered
            ? 'Change or clear the filters to see more tokens.'
            : 'Create a client token for on-premises clients; each connected registry also gets a sync token when it is added.'}
        </EmptyState>
      ) : (
        <TokensTable registry={current.name} tokens={page.items} now={now} canEdit={hasRole(actor, 'Contributor')} />
      )}
      <ListPager noun="tokens" page={page} hrefFor={(cursor) => tokensHref(current.name, { ...filterParams, cursor })} />
    </>
  );
}

'use client';
// The token list's filters live in the URL (shareable, and the server reads them); changing one
// starts again from the first page.
import Link from 'next/link';
import { FilterField, filterControlClass } from '@/components/ui/filter-field';
import { SearchFilter } from '@/components/ui/search-filter';
import { useUrlFilters } from '@/components/ui/use-url-filters';
import { tokensHref } from '@/lib/tokens/hrefs';

export type TokenFilterValues = {
  kind: 'all' | 'client' | 'sync';
  status?: 'enabled' | 'disabled';
  expiring: boolean;
  q?: string;
  /** the list's sort, kept when a filter changes */
  sort?: string;
  order?: string;
};

export function TokenFilters({ registry, values }: { registry: string; values: TokenFilterValues }) {
  const { q, setQ, search, go, pending } = useUrlFilters(values, (v) =>
    tokensHref(registry, {
      kind: v.kind === 'all' ? undefined : v.kind,
      status: v.status,
      expiring: v.expiring ? 'true' : undefined,
      q: v.q?.trim() || undefined,
      sort: v.sort,
      order: v.order,
    }),
  );

  const filtered = values.kind !== 'all' || values.status || values.expiring || values.q;

  return (
    <div role="search" aria-label="Filter tokens" aria-busy={pending} className="mb-4 flex flex-wrap items-end gap-3">
      <SearchFilter value={q} placeholder="Token name" onChange={search} />
      <FilterField label="Kind">
        <select
          value={values.kind}
          onChange={(e) => go({ kind: e.target.value as TokenFilterValues['kind'] })}
          className={filterControlClass}
        >
          <option value="all">All tokens</option>
          <option value="client">Client tokens</option>
          <option value="sync">Sync tokens</option>
        </select>
      </FilterField>
      <FilterField label="Status">
        <select
          value={values.status ?? ''}
          onChange={(e) => go({ status: (e.target.value || undefined) as TokenFilterValues['status'] })}
          className={filterControlClass}
        >
          <option value="">Any status</option>
          <option value="enabled">Enabled</option>
          <option value="disabled">Disabled</option>
        </select>
      </FilterField>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700 dark:text-slate-300">
        <input type="checkbox" checked={values.expiring} onChange={(e) => go({ expiring: e.target.checked })} className="size-4" />
        Password expiring within 30 days (or expired)
      </label>
      {filtered && (
        <Link
          href={tokensHref(registry)}
          className="pb-2 text-sm text-slate-600 dark:text-slate-400 hover:underline"
          onClick={() => setQ('')}
        >
          Clear filters
        </Link>
      )}
      {pending && <span className="pb-2 text-xs text-slate-500 dark:text-slate-400">Loading…</span>}
    </div>
  );
}

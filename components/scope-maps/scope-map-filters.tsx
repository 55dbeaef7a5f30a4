'use client';
// The scope-map list's filters live in the URL; changing one starts again from the first page.
import { FilterField, filterControlClass } from '@/components/ui/filter-field';
import { SearchFilter } from '@/components/ui/search-filter';
import { useUrlFilters } from '@/components/ui/use-url-filters';

export type ScopeMapFilterValues = {
  kind: 'all' | 'user' | 'system' | 'sync';
  q?: string;
  /** the list's sort, kept when a filter changes */
  sort?: string;
  order?: string;
};

function scopeMapsFilterHref(registry: string, v: ScopeMapFilterValues) {
  const params = new URLSearchParams({ registry });
  if (v.kind !== 'all') params.set('kind', v.kind);
  if (v.q?.trim()) params.set('q', v.q.trim());
  if (v.sort) params.set('sort', v.sort);
  if (v.order) params.set('order', v.order);
  return `/scope-maps?${params}`;
}

export function ScopeMapFilters({ registry, values }: { registry: string; values: ScopeMapFilterValues }) {
  const { q, search, go, pending } = useUrlFilters(values, (v) => scopeMapsFilterHref(registry, v));

  return (
    <div role="search" aria-label="Filter scope maps" aria-busy={pending} className="mb-4 flex flex-wrap items-end gap-3">
      <SearchFilter value={q} placeholder="Scope map name" onChange={search} />
      <FilterField label="Kind">
        <select
          value={values.kind}
          onChange={(e) => go({ kind: e.target.value as ScopeMapFilterValues['kind'] })}
          className={filterControlClass}
        >
          <option value="all">All scope maps</option>
          <option value="user">Custom</option>
          <option value="system">System</option>
          <option value="sync">Sync (of connected registries)</option>
        </select>
      </FilterField>
      {pending && <span className="pb-2 text-xs text-slate-500 dark:text-slate-400">Loading…</span>}
    </div>
  );
}

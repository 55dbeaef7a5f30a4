import Link from 'next/link';
import { Filter } from 'lucide-react';
import { FilterField } from '@/components/ui/filter-field';

export type ConnectedRegistryFilterValues = {
  q?: string;
  mode?: string;
  connectionState?: string;
  parent?: string;
  children?: string;
  /** the list's sort, kept when the filters change */
  sort?: string;
  order?: string;
};

const control = 'rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm';

/** The list's filters: a plain GET form, so the URL holds them (and paging keeps them). */
export function ConnectedRegistriesFilters({
  registry,
  values,
  parentNames,
}: {
  registry: string;
  values: ConnectedRegistryFilterValues;
  parentNames: string[];
}) {
  const active = Boolean(values.q || values.mode || values.connectionState || values.parent);
  return (
    <form
      role="search"
      aria-label="Filter connected registries"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-3 shadow-sm"
    >
      <input type="hidden" name="registry" value={registry} />
      {values.sort && <input type="hidden" name="sort" value={values.sort} />}
      {values.order && <input type="hidden" name="order" value={values.order} />}
      <FilterField label="Name contains">
        <input name="q" defaultValue={values.q ?? ''} placeholder="edge" className={`${control} w-44`} />
      </FilterField>
      <FilterField label="Mode">
        <select name="mode" defaultValue={values.mode ?? ''} className={control}>
          <option value="">Any</option>
          <option>ReadWrite</option>
          <option>ReadOnly</option>
        </select>
      </FilterField>
      <FilterField label="Connection state">
        <select name="connectionState" defaultValue={values.connectionState ?? ''} className={control}>
          <option value="">Any</option>
          <option>Online</option>
          <option>Syncing</option>
          <option>Unhealthy</option>
          <option>Offline</option>
        </select>
      </FilterField>
      <FilterField label="Under parent">
        <input
          name="parent"
          list="parent-names"
          defaultValue={values.parent ?? ''}
          placeholder="any"
          autoComplete="off"
          className={`${control} w-44`}
        />
        <datalist id="parent-names">
          {parentNames.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </FilterField>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700 dark:text-slate-300">
        <input type="checkbox" name="children" value="direct" defaultChecked={values.children === 'direct'} className="accent-brand-600" />
        Direct children only
      </label>
      <button
        type="submit"
        className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
      >
        <Filter size={14} aria-hidden /> Filter
      </button>
      {active && (
        <Link
          href={`/connected-registries?registry=${encodeURIComponent(registry)}`}
          className="py-1.5 text-sm text-slate-600 dark:text-slate-400 hover:underline"
        >
          Clear
        </Link>
      )}
    </form>
  );
}

import { clsx } from 'clsx';
import { ArrowDown, ArrowUp } from 'lucide-react';
import Link from 'next/link';

export type SortOption = { key: string; label: string; order: 'asc' | 'desc' };

type Props = {
  /** the list's sorts, its default first */
  options: readonly SortOption[];
  /** the query's sort and order, when it names them */
  sort?: string;
  order?: 'asc' | 'desc';
  /** the list's URL with this sort and order, from the first page */
  hrefFor: (sort: string, order: 'asc' | 'desc') => string;
};

/**
 * The sort keys of a list as links: another key starts in its own order, the current one turns
 * its order around. Each key is an index, so every sort pages as fast as by name.
 */
export function ListSort({ options, sort: asked, order: askedOrder, hrefFor }: Props) {
  const sort = asked ?? options[0].key;
  const order = askedOrder ?? options.find((o) => o.key === sort)?.order ?? 'asc';
  return (
    <nav aria-label="Sort" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
      <span className="mr-1 text-slate-600 dark:text-slate-400">Sort by</span>
      {options.map((o) => {
        const current = o.key === sort;
        const nextOrder = current ? (order === 'asc' ? 'desc' : 'asc') : o.order;
        return (
          <Link
            key={o.key}
            href={hrefFor(o.key, nextOrder)}
            aria-current={current ? 'true' : undefined}
            aria-label={current ? `${o.label}, ${order === 'asc' ? 'ascending' : 'descending'}; reverse` : `Sort by ${o.label}`}
            className={clsx(
              'inline-flex items-center gap-1 rounded-md px-2 py-1',
              current
                ? 'bg-slate-200 font-medium text-slate-900 dark:bg-slate-700 dark:text-slate-100'
                : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
            )}
          >
            {o.label}
            {current && (order === 'asc' ? <ArrowUp size={13} aria-hidden /> : <ArrowDown size={13} aria-hidden />)}
          </Link>
        );
      })}
    </nav>
  );
}

import Link from 'next/link';
import type { SortedPage } from '@/lib/api/keyset';

type Props = {
  /** what is listed, plural ("tokens") */
  noun: string;
  page: Pick<SortedPage<unknown>, 'items' | 'next' | 'prev' | 'total' | 'totalCapped'>;
  /** the list's URL at this cursor, with its filters and sort */
  hrefFor: (cursor: string) => string;
};

/** "1,000+": a count that stopped at its cap says so. */
export function formatCount(total: number, capped: boolean): string {
  return `${total.toLocaleString('en')}${capped ? '+' : ''}`;
}

const button =
  'rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm hover:bg-slate-50 dark:hover:bg-slate-800/60';

/** Below a list: how many match in all (capped), and the previous and next pages. */
export function ListPager({ noun, page, hrefFor }: Props) {
  const { total, totalCapped } = page;
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
      <span className="text-slate-600 dark:text-slate-400" data-testid="list-count">
        {total ? `${page.items.length.toLocaleString('en')} shown of ${formatCount(total, totalCapped)} ${noun}` : ''}
      </span>
      <span className="flex gap-2">
        {page.prev && (
          <Link href={hrefFor(page.prev)} className={button} rel="prev">
            ← Previous page
          </Link>
        )}
        {page.next && (
          <Link href={hrefFor(page.next)} className={button} rel="next">
            Next page →
          </Link>
        )}
      </span>
    </nav>
  );
}

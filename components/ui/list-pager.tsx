import Link from 'next/link';

type Props = {
  /** what is listed, plural ("tokens") */
  noun: string;
  shown: number;
  /** how many match, at most the list's count cap */
  total: number;
  /** there are more than `total` */
  totalCapped: boolean;
  prevHref: string | null;
  nextHref: string | null;
};

/** "1,000+": a count that stopped at its cap says so. */
export function formatCount(total: number, capped: boolean): string {
  return `${total.toLocaleString('en')}${capped ? '+' : ''}`;
}

const button = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50';

/** Below a list: how many match in all (capped), and the previous and next pages. */
export function ListPager({ noun, shown, total, totalCapped, prevHref, nextHref }: Props) {
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
      <span className="text-slate-600" data-testid="list-count">
        {total ? `${shown.toLocaleString('en')} shown of ${formatCount(total, totalCapped)} ${noun}` : ''}
      </span>
      <span className="flex gap-2">
        {prevHref && (
          <Link href={prevHref} className={button} rel="prev">
            ← Previous page
          </Link>
        )}
        {nextHref && (
          <Link href={nextHref} className={button} rel="next">
            Next page →
          </Link>
        )}
      </span>
    </nav>
  );
}

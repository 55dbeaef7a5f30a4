import { clsx } from 'clsx';
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';

export function Table({ children, caption }: { children: ReactNode; caption?: string }) {
  return (
    // a wide table scrolls in its own box, which the keyboard can reach (WCAG 2.1.1); `relative`
    // keeps its screen-reader-only texts (absolutely positioned) inside that box, not the page's
    <div
      tabIndex={0}
      role={caption ? 'region' : undefined}
      aria-label={caption}
      className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm"
    >
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-700 text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={clsx(
        'bg-slate-50 dark:bg-slate-800/60 px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400',
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={clsx('px-4 py-2.5 align-top text-slate-800 dark:text-slate-200', className)} {...props} />;
}

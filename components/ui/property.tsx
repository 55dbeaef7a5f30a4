import { clsx } from 'clsx';
import type { ReactNode } from 'react';

/** One label–value row of a `<dl>`. */
export function Property({ label, children, compact = false }: { label: string; children: ReactNode; compact?: boolean }) {
  return (
    <div className={clsx('grid text-sm', compact ? 'grid-cols-[7.5rem_1fr] gap-2 py-1.5' : 'grid-cols-[8.5rem_1fr] gap-3 py-2')}>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

import type { ReactNode } from 'react';

/** The look of an input or select in a list's row of filters. */
export const filterControlClass =
  'rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-2.5 py-1.5 text-sm shadow-sm';

/** One filter in a list's row of filters: the label wraps the control, so it names it. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="text-sm">
      <span className="mb-1 block font-medium text-slate-700 dark:text-slate-300">{label}</span>
      {children}
    </label>
  );
}

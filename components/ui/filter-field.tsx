import type { ReactNode } from 'react';

/** The look of an input or select in a list's row of filters. */
export const filterControlClass = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm';

/** One filter in a list's row of filters: the label wraps the control, so it names it. */
export function FilterField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="text-sm">
      <span className="mb-1 block font-medium text-slate-700">{label}</span>
      {children}
    </label>
  );
}

'use client';
// One option of a radio group drawn as a bordered row; the chosen one is outlined. With
// `details`, the option is a box whose details (an input the option needs) show while chosen.
import { clsx } from 'clsx';
import type { ReactNode } from 'react';

const on = 'border-brand-500 bg-brand-50/50 dark:bg-brand-900/30';
const off = 'border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 hover:border-slate-300 dark:hover:border-slate-700';

export function RadioOption({
  name,
  value,
  checked,
  onSelect,
  children,
  details,
}: {
  name: string;
  value?: string;
  checked: boolean;
  onSelect: () => void;
  children: ReactNode;
  details?: ReactNode;
}) {
  const input = <input type="radio" name={name} value={value} checked={checked} onChange={onSelect} className="mt-0.5" />;
  if (details === undefined)
    return (
      <label className={clsx('flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm', checked ? on : off)}>
        {input}
        {children}
      </label>
    );
  return (
    <div className={clsx('rounded-md border', checked ? on : off)}>
      <label className="flex cursor-pointer items-start gap-2 px-3 py-2 text-sm">
        {input}
        {children}
      </label>
      {checked && <div className="flex flex-wrap items-center gap-2 px-3 pb-3 pl-8">{details}</div>}
    </div>
  );
}

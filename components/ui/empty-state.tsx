import type { ReactNode } from 'react';

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-6 py-14 text-center">
      {icon && <div className="mb-3 text-slate-400 dark:text-slate-500">{icon}</div>}
      <h2 className="text-base font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
      {children && <div className="mt-1 max-w-md text-sm text-slate-600 dark:text-slate-400">{children}</div>}
    </div>
  );
}

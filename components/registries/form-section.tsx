import type { ReactNode } from 'react';

/** One titled section of a long form: its title and description beside its fields (below them on narrow screens). */
export function FormSection({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="grid grid-cols-1 gap-x-8 gap-y-4 py-6 first:pt-0 lg:grid-cols-[14rem_1fr]">
      <div>
        <h2 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
        {description && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{description}</p>}
      </div>
      <div className="grid min-w-0 grid-cols-1 gap-4 sm:grid-cols-2">{children}</div>
    </section>
  );
}

// What a portal page shows while the server renders it after a navigation (the loading.tsx files of
// the overview, list, form and settings routes): the shape of the page to come, so that a click
// answers at once. Detail pages (/tokens/<name> and the like) have none, on purpose: a loading
// boundary streams the page, so a notFound() below it would reach the browser as a 200. The list
// pages therefore sit in route groups of their own, `tokens/(list)/`, whose loading.tsx wraps the
// list alone and never the `[name]` page beside it; no loading.tsx may sit above a detail page
// (e2e/loading-states.spec.ts holds both).
import { clsx } from 'clsx';

const bar = 'rounded bg-slate-200 dark:bg-slate-700';
const card = 'rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900';

export type PageSkeletonShape = 'list' | 'form' | 'overview' | 'tree';

function ListRows({ rows }: { rows: number }) {
  return (
    <div data-part="card" className={card}>
      <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <div className={clsx(bar, 'h-4 w-32')} />
      </div>
      <div className="divide-y divide-slate-100 dark:divide-slate-800">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 px-4 py-3">
            <div className={clsx(bar, 'h-4 w-1/4')} />
            <div className={clsx(bar, 'h-4 w-1/6')} />
            <div className={clsx(bar, 'h-4 flex-1')} />
          </div>
        ))}
      </div>
    </div>
  );
}

function FormFields() {
  return (
    <div data-part="card" className={clsx(card, 'max-w-2xl space-y-5 p-4')}>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="space-y-2">
          <div className={clsx(bar, 'h-4 w-28')} />
          <div className={clsx(bar, 'h-9 w-full')} />
        </div>
      ))}
      <div className={clsx(bar, 'h-9 w-32')} />
    </div>
  );
}

function OverviewCards() {
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} data-part="card" className={clsx(card, 'space-y-3 p-4')}>
            <div className={clsx(bar, 'h-4 w-24')} />
            <div className={clsx(bar, 'h-7 w-16')} />
          </div>
        ))}
      </div>
      <ListRows rows={4} />
    </div>
  );
}

function TreeAndPanel() {
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <div data-part="card" className={clsx(card, 'space-y-3 p-4')}>
        {[0, 1, 2, 2, 1, 2, 1].map((depth, i) => (
          <div key={i} className="flex items-center gap-2" style={{ paddingLeft: `${depth * 1.5}rem` }}>
            <div className={clsx(bar, 'size-4')} />
            <div className={clsx(bar, 'h-4 w-40')} />
          </div>
        ))}
      </div>
      <div data-part="card" className={clsx(card, 'space-y-3 p-4')}>
        <div className={clsx(bar, 'h-5 w-36')} />
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className={clsx(bar, 'h-4 w-full')} />
        ))}
      </div>
    </div>
  );
}

/** A page's placeholder: a title, its description and the body's shape, announced as loading. */
export function PageSkeleton({ shape = 'list', rows = 6 }: { shape?: PageSkeletonShape; rows?: number }) {
  return (
    <div role="status" aria-live="polite" data-testid="page-skeleton" data-shape={shape} className="motion-safe:animate-pulse">
      <span className="sr-only">Loading…</span>
      <div aria-hidden>
        <div className="mb-6 space-y-2">
          <div className={clsx(bar, 'h-7 w-48')} />
          <div className={clsx(bar, 'h-4 w-full max-w-xl')} />
        </div>
        {shape === 'list' && <ListRows rows={rows} />}
        {shape === 'form' && <FormFields />}
        {shape === 'overview' && <OverviewCards />}
        {shape === 'tree' && <TreeAndPanel />}
      </div>
    </div>
  );
}

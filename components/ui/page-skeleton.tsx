// What a portal page shows while the server renders it (the portal's loading.tsx files): the
// shape of a page — a title, its description, a card of rows — so navigation answers at once.
const bar = 'rounded bg-slate-200 dark:bg-slate-700';

export function PageSkeleton({ rows = 6, label = 'Loading…' }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" data-testid="page-skeleton" className="motion-safe:animate-pulse">
      <span className="sr-only">{label}</span>
      <div aria-hidden className="mb-6 space-y-2">
        <div className={`${bar} h-7 w-48`} />
        <div className={`${bar} h-4 w-full max-w-xl`} />
      </div>
      <div aria-hidden className="rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900">
        <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-700">
          <div className={`${bar} h-4 w-32`} />
        </div>
        <div className="divide-y divide-slate-100 dark:divide-slate-800">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex items-center gap-4 px-4 py-3">
              <div className={`${bar} h-4 w-1/4`} />
              <div className={`${bar} h-4 w-1/6`} />
              <div className={`${bar} h-4 flex-1`} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

import { SearchX } from 'lucide-react';
import Link from 'next/link';

/** What a page that does not exist says: the portal's own 404, with a way back. */
export function NotFoundMessage({ title = 'Page not found', children }: { title?: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6">
      <div className="flex items-start gap-3">
        <SearchX size={22} aria-hidden className="mt-0.5 shrink-0 text-slate-500 dark:text-slate-400" />
        <div>
          <h1 className="text-lg font-semibold">{title}</h1>
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
            {children ?? 'What you asked for does not exist, or was deleted.'}
          </p>
          <Link
            href="/"
            className="mt-4 inline-block text-sm font-medium text-brand-700 dark:text-brand-400 underline underline-offset-2 hover:text-brand-900 dark:hover:text-brand-200"
          >
            Back to the overview
          </Link>
        </div>
      </div>
    </div>
  );
}

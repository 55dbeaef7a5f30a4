import Link from 'next/link';
import { ServerOff } from 'lucide-react';

export default function ConnectedRegistryNotFound() {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-6 py-14 text-center">
      <ServerOff size={32} aria-hidden className="mb-3 text-slate-400 dark:text-slate-500" />
      <h1 className="text-lg font-semibold text-slate-900 dark:text-slate-100">No such connected registry</h1>
      <p className="mt-1 max-w-md text-sm text-slate-600 dark:text-slate-400">
        There is no connected registry by this name in this cloud registry. It may have been deleted, or the link names another cloud
        registry.
      </p>
      <div className="mt-4 flex gap-4 text-sm font-medium">
        <Link href="/connected-registries" className="text-brand-700 dark:text-brand-400 hover:underline">
          All connected registries
        </Link>
        <Link href="/hierarchy" className="text-brand-700 dark:text-brand-400 hover:underline">
          The hierarchy
        </Link>
      </div>
    </div>
  );
}

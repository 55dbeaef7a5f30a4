'use client';
// Tokens and scope maps belong to a cloud registry; this picks which one a page shows (`?registry=`).
import { Cloud } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useRegistryInUrl } from '@/components/registries/use-registry-in-url';

export function CloudRegistrySwitcher({
  registries,
  current,
  basePath,
}: {
  registries: { name: string; loginServer: string }[];
  current: string;
  /** the page to show for the chosen registry, e.g. /tokens */
  basePath: string;
}) {
  const router = useRouter();
  useRegistryInUrl(current);
  const [pending, startTransition] = useTransition();
  const currentRegistry = registries.find((r) => r.name === current);
  return (
    <div
      className="flex min-w-0 max-w-full items-center gap-2 rounded-md border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
      aria-busy={pending}
    >
      <Cloud size={16} className="text-slate-500 dark:text-slate-400" aria-hidden />
      {registries.length > 1 ? (
        <label className="flex min-w-0 items-center gap-2">
          <span className="text-slate-600 dark:text-slate-400">Cloud registry</span>
          <select
            value={current}
            onChange={(e) => startTransition(() => router.push(`${basePath}?${new URLSearchParams({ registry: e.target.value })}`))}
            className="min-w-0 max-w-[14rem] truncate rounded border-0 bg-transparent py-0 pr-7 font-medium text-slate-900 dark:text-slate-100 sm:max-w-xs"
          >
            {registries.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span className="min-w-0 truncate">
          <span className="text-slate-600 dark:text-slate-400">Cloud registry </span>
          <span className="font-medium text-slate-900 dark:text-slate-100">{current}</span>
        </span>
      )}
      {currentRegistry && (
        <span className="hidden font-mono text-xs text-slate-500 dark:text-slate-400 md:inline">{currentRegistry.loginServer}</span>
      )}
    </div>
  );
}

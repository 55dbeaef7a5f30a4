'use client';
import { useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import Link from 'next/link';
import type { RegistryStateCounts as Counts } from '@/lib/registries/schemas';

const rows: { key: keyof Counts; label: string; dot: string; filter?: string }[] = [
  { key: 'online', label: 'Online', dot: 'bg-emerald-500', filter: 'Online' },
  { key: 'syncing', label: 'Syncing', dot: 'bg-sky-500', filter: 'Syncing' },
  { key: 'unhealthy', label: 'Unhealthy', dot: 'bg-amber-500', filter: 'Unhealthy' },
  { key: 'offline', label: 'Offline', dot: 'bg-slate-400 dark:bg-slate-500', filter: 'Offline' },
  { key: 'notDeployed', label: 'Not deployed', dot: 'bg-slate-200 dark:bg-slate-700' },
  { key: 'disabled', label: 'Disabled', dot: 'bg-red-500' },
];

export const registryStateKey = ['registry-states'] as const;

/** Connected registries by state, refreshed live. */
export function RegistryStateCounts({ initial }: { initial: Counts }) {
  const { data } = useQuery({
    queryKey: registryStateKey,
    queryFn: async () => {
      const res = await fetch('/api/v1/registry-states');
      if (!res.ok) throw new Error(`registry states: ${res.status}`);
      return (await res.json()) as Counts;
    },
    initialData: initial,
    refetchInterval: 10_000,
  });
  return (
    <section
      aria-labelledby="registry-states"
      className="mt-6 rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-4 shadow-sm"
    >
      <h2 id="registry-states" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        Connected registries by state <span className="font-normal text-slate-500 dark:text-slate-400">· {data.total} in all · live</span>
      </h2>
      <ul className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {rows.map((r) => {
          const body = (
            <>
              <span className="flex items-center gap-1.5 text-sm text-slate-600 dark:text-slate-400">
                <span aria-hidden className={clsx('h-2.5 w-2.5 rounded-full', r.dot)} /> {r.label}
              </span>
              <span className="mt-0.5 block text-2xl font-semibold tabular-nums" data-testid={`state-${r.key}`}>
                {data[r.key]}
              </span>
            </>
          );
          return (
            <li key={r.key} className="rounded-md border border-slate-100 dark:border-slate-800 p-3">
              {r.filter ? (
                <Link
                  href={`/connected-registries?connectionState=${r.filter}`}
                  className="block hover:text-brand-700 dark:hover:text-brand-400"
                >
                  {body}
                </Link>
              ) : (
                body
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

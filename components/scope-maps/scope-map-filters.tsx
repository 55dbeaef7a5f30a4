'use client';
// The scope-map list's filters live in the URL; changing one starts again from the first page.
import { Search } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';

export type ScopeMapFilterValues = { kind: 'all' | 'user' | 'system' | 'sync'; q?: string };

export function ScopeMapFilters({ registry, values }: { registry: string; values: ScopeMapFilterValues }) {
  const router = useRouter();
  const [q, setQ] = useState(values.q ?? '');
  const [pending, startTransition] = useTransition();
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function go(next: Partial<ScopeMapFilterValues>) {
    const v = { ...values, q, ...next };
    const params = new URLSearchParams({ registry });
    if (v.kind !== 'all') params.set('kind', v.kind);
    if (v.q?.trim()) params.set('q', v.q.trim());
    startTransition(() => router.replace(`/scope-maps?${params}`, { scroll: false }));
  }

  const control = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm';
  return (
    <div role="search" aria-label="Filter scope maps" aria-busy={pending} className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Search</span>
        <span className="relative block">
          <Search size={15} className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-slate-400" aria-hidden />
          <input
            type="search"
            value={q}
            placeholder="Scope map name"
            onChange={(e) => {
              const value = e.target.value;
              setQ(value);
              clearTimeout(debounce.current);
              debounce.current = setTimeout(() => go({ q: value }), 300);
            }}
            className={`${control} w-56 pl-8`}
          />
        </span>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Kind</span>
        <select value={values.kind} onChange={(e) => go({ kind: e.target.value as ScopeMapFilterValues['kind'] })} className={control}>
          <option value="all">All scope maps</option>
          <option value="user">Custom</option>
          <option value="system">System</option>
          <option value="sync">Sync (of connected registries)</option>
        </select>
      </label>
      {pending && <span className="pb-2 text-xs text-slate-500">Loading…</span>}
    </div>
  );
}

'use client';
// The token list's filters live in the URL (shareable, and the server reads them); changing one
// starts again from the first page.
import { Search } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { tokensHref } from '@/lib/tokens/hrefs';

export type TokenFilterValues = { kind: 'all' | 'client' | 'sync'; status?: 'enabled' | 'disabled'; expiring: boolean; q?: string };

export function TokenFilters({ registry, values }: { registry: string; values: TokenFilterValues }) {
  const router = useRouter();
  const [q, setQ] = useState(values.q ?? '');
  const [pending, startTransition] = useTransition();
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function go(next: Partial<TokenFilterValues>) {
    const v = { ...values, q, ...next };
    const href = tokensHref(registry, {
      kind: v.kind === 'all' ? undefined : v.kind,
      status: v.status,
      expiring: v.expiring ? 'true' : undefined,
      q: v.q?.trim() || undefined,
    });
    startTransition(() => router.replace(href, { scroll: false }));
  }

  const filtered = values.kind !== 'all' || values.status || values.expiring || values.q;
  const control = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm';

  return (
    <div role="search" aria-label="Filter tokens" aria-busy={pending} className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Search</span>
        <span className="relative block">
          <Search size={15} className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-slate-400" aria-hidden />
          <input
            type="search"
            value={q}
            placeholder="Token name"
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
        <select value={values.kind} onChange={(e) => go({ kind: e.target.value as TokenFilterValues['kind'] })} className={control}>
          <option value="all">All tokens</option>
          <option value="client">Client tokens</option>
          <option value="sync">Sync tokens</option>
        </select>
      </label>
      <label className="text-sm">
        <span className="mb-1 block font-medium text-slate-700">Status</span>
        <select
          value={values.status ?? ''}
          onChange={(e) => go({ status: (e.target.value || undefined) as TokenFilterValues['status'] })}
          className={control}
        >
          <option value="">Any status</option>
          <option value="enabled">Enabled</option>
          <option value="disabled">Disabled</option>
        </select>
      </label>
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" checked={values.expiring} onChange={(e) => go({ expiring: e.target.checked })} className="size-4" />
        Password expiring within 30 days (or expired)
      </label>
      {filtered && (
        <Link href={tokensHref(registry)} className="pb-2 text-sm text-slate-600 hover:underline" onClick={() => setQ('')}>
          Clear filters
        </Link>
      )}
      {pending && <span className="pb-2 text-xs text-slate-500">Loading…</span>}
    </div>
  );
}

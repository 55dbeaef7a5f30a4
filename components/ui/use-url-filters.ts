'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';

/**
 * A list's filters kept in the URL (shareable, and the server reads them). `go` replaces the URL
 * with some filters changed, keeping the search typed so far; `search` is the search box's
 * onChange, and goes 300 ms after the last keystroke.
 */
export function useUrlFilters<V extends { q?: string }>(values: V, hrefFor: (values: V) => string) {
  const router = useRouter();
  const [q, setQ] = useState(values.q ?? '');
  const [pending, startTransition] = useTransition();
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function go(next: Partial<V>) {
    const href = hrefFor({ ...values, q, ...next });
    startTransition(() => router.replace(href, { scroll: false }));
  }

  function search(value: string) {
    setQ(value);
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => go({ q: value } as Partial<V>), 300);
  }

  return { q, setQ, search, go, pending };
}

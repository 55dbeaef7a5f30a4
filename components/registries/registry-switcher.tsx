'use client';
import { Cloud } from 'lucide-react';
import { usePathname, useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { rememberRegistry, useShownRegistry } from './use-shown-registry';

/**
 * The cloud-registry picker, the one every page of a cloud registry's things uses (Hierarchy,
 * Connected registries and the new one, Tokens, Scope maps, Webhooks): choosing one opens the same
 * page for it at `?registry=` (other filters start over). The registry shown is remembered for the
 * next page opened without it, a chosen one at once: a page opened before the new one has answered
 * shows it too.
 */
export function RegistrySwitcher({ registries, current }: { registries: { name: string; loginServer: string }[]; current: string }) {
  const router = useRouter();
  useShownRegistry(current);
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex min-w-0 max-w-full items-center gap-2">
      <Cloud size={16} aria-hidden className="text-slate-500 dark:text-slate-400" />
      <label htmlFor="registry-switcher" className="shrink-0 text-sm font-medium text-slate-700 dark:text-slate-300">
        Cloud registry
      </label>
      <select
        id="registry-switcher"
        value={current}
        disabled={pending}
        aria-busy={pending || undefined}
        onChange={(e) => {
          const next = e.target.value;
          rememberRegistry(next);
          startTransition(() => router.push(`${pathname}?registry=${encodeURIComponent(next)}`));
        }}
        className="min-w-0 max-w-full truncate rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 py-1.5 pl-2.5 pr-8 text-sm font-medium shadow-sm"
      >
        {registries.map((r) => (
          <option key={r.name} value={r.name}>
            {r.name} ({r.loginServer})
          </option>
        ))}
      </select>
    </div>
  );
}

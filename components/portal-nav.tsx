'use client';
import { clsx } from 'clsx';
import { Boxes, Cloud, FileClock, KeyRound, LayoutDashboard, Network, Settings, ShieldCheck, Webhook } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';

export const navItems = [
  { href: '/', label: 'Overview', icon: LayoutDashboard },
  { href: '/cloud-registries', label: 'Cloud registries', icon: Cloud },
  { href: '/hierarchy', label: 'Hierarchy', icon: Network },
  { href: '/connected-registries', label: 'Connected registries', icon: Boxes },
  { href: '/tokens', label: 'Tokens', icon: KeyRound },
  { href: '/scope-maps', label: 'Scope maps', icon: ShieldCheck },
  { href: '/webhooks', label: 'Webhooks', icon: Webhook },
  { href: '/audit-log', label: 'Audit log', icon: FileClock },
  { href: '/settings', label: 'Settings', icon: Settings },
] as const;

/** The pages of one cloud registry: their links carry the registry the current page shows. */
const registryPages = new Set<string>(['/hierarchy', '/connected-registries', '/tokens', '/scope-maps', '/webhooks']);

export function PortalNav() {
  const pathname = usePathname();
  const registry = useSearchParams().get('registry');
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {navItems.map(({ href, label, icon: Icon }) => {
        const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={registry && registryPages.has(href) ? `${href}?${new URLSearchParams({ registry })}` : href}
            aria-current={active ? 'page' : undefined}
            className={clsx(
              'flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium',
              active
                ? 'bg-brand-50 dark:bg-brand-900/40 text-brand-900 dark:text-brand-200'
                : 'text-slate-700 dark:text-slate-300 hover:bg-slate-100 dark:hover:bg-slate-800',
            )}
          >
            <Icon size={17} aria-hidden className={active ? 'text-brand-700 dark:text-brand-400' : 'text-slate-500 dark:text-slate-400'} />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

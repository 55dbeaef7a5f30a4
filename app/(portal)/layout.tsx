import { Trees } from 'lucide-react';
import type { ReactNode } from 'react';
import { MobileNav } from '@/components/mobile-nav';
import { PortalNav } from '@/components/portal-nav';
import { SignOutButton } from '@/components/sign-out-button';
import { ThemeToggle } from '@/components/theme-toggle';
import { Badge } from '@/components/ui/badge';
import { pageActor } from '@/lib/auth/session';
import { currentTheme } from '@/lib/theme/current-theme';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const [actor, theme] = await Promise.all([pageActor(), currentTheme()]);
  const signedIn = (
    <>
      <p className="truncate font-medium text-slate-900 dark:text-slate-100" data-testid="current-admin">
        {actor.email}
      </p>
      <div className="mt-1 flex items-center justify-between">
        <Badge tone={actor.role === 'Owner' ? 'violet' : actor.role === 'Contributor' ? 'blue' : 'neutral'}>{actor.role}</Badge>
        <SignOutButton />
      </div>
      <div className="mt-3">
        <ThemeToggle initial={theme} />
      </div>
    </>
  );
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white dark:bg-slate-900 px-3 py-2 text-sm font-medium text-brand-800 dark:text-brand-300 shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>
      {/* the sidebar from 1024 px up; below, the Menu button opens the same navigation */}
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col border-r border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 px-3 py-4 lg:flex">
        <div className="mb-6 flex items-center gap-2 px-3">
          <Trees className="text-brand-700 dark:text-brand-400" size={22} aria-hidden />
          <span className="text-lg font-semibold tracking-tight">Canopy</span>
        </div>
        <PortalNav />
        <div className="mt-auto border-t border-slate-200 dark:border-slate-800 px-3 pt-3 text-sm">{signedIn}</div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex items-center gap-2 border-b border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 px-4 py-2 lg:hidden">
          <Trees className="text-brand-700 dark:text-brand-400" size={20} aria-hidden />
          <span className="font-semibold tracking-tight">Canopy</span>
          <div className="ml-auto">
            <MobileNav footer={signedIn} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none sm:px-8 sm:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}

import { Trees } from 'lucide-react';
import type { ReactNode } from 'react';
import { PortalNav } from '@/components/portal-nav';
import { SignOutButton } from '@/components/sign-out-button';
import { Badge } from '@/components/ui/badge';
import { pageActor } from '@/lib/auth/session';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await pageActor();
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-4">
        <div className="mb-6 flex items-center gap-2 px-3">
          <Trees className="text-brand-600" size={22} aria-hidden />
          <span className="text-lg font-semibold tracking-tight">Canopy</span>
        </div>
        <PortalNav />
        <div className="mt-auto border-t border-slate-200 px-3 pt-3 text-sm">
          <p className="truncate font-medium text-slate-900" data-testid="current-admin">
            {actor.email}
          </p>
          <div className="mt-1 flex items-center justify-between">
            <Badge tone={actor.role === 'Owner' ? 'violet' : actor.role === 'Contributor' ? 'blue' : 'neutral'}>{actor.role}</Badge>
            <SignOutButton />
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-8">{children}</main>
    </div>
  );
}

import type { Metadata } from 'next';
import { Trees } from 'lucide-react';
import { connection } from 'next/server';
import { NotFoundMessage } from '@/components/not-found-message';

export const metadata: Metadata = { title: 'Page not found' };

// Any address outside the portal's pages. Rendered per request (not prerendered) so that its
// scripts carry the Content-Security-Policy's nonce like every other page's.
export default async function SiteNotFound() {
  await connection();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md">
        <p className="mb-6 flex items-center justify-center gap-2">
          <Trees className="text-brand-700" size={28} aria-hidden />
          <span className="text-2xl font-semibold tracking-tight">Canopy</span>
        </p>
        <NotFoundMessage>There is no page at this address. It may have moved, or the link may be mistyped.</NotFoundMessage>
      </div>
    </main>
  );
}

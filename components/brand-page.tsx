import { Trees } from 'lucide-react';
import type { ReactNode } from 'react';
import { currentTheme } from '@/lib/theme/current-theme';
import { ThemeToggle } from './theme-toggle';

/** A page outside the portal's frame (sign-in, an unknown address): the Canopy name above one box. */
export async function BrandPage({ children, width = 'max-w-sm' }: { children: ReactNode; width?: 'max-w-sm' | 'max-w-md' }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className={`w-full ${width}`}>
        <p className="mb-6 flex items-center justify-center gap-2">
          <Trees className="text-brand-700 dark:text-brand-400" size={28} aria-hidden />
          <span className="text-2xl font-semibold tracking-tight">Canopy</span>
        </p>
        {children}
        <div className="mt-6 flex justify-center">
          <ThemeToggle initial={await currentTheme()} />
        </div>
      </div>
    </main>
  );
}

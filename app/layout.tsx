import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { currentTheme } from '@/lib/theme/current-theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Canopy', template: '%s · Canopy' },
  description: 'The control plane for connected container registries',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the theme is on the first HTML, so that no page flashes in the other one before a script runs
  return (
    <html lang="en" data-theme={await currentTheme()}>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}

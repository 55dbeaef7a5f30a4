import type { Metadata } from 'next';
import { connection } from 'next/server';
import { BrandPage } from '@/components/brand-page';
import { NotFoundMessage } from '@/components/not-found-message';

export const metadata: Metadata = { title: 'Page not found' };

// Any address outside the portal's pages. Rendered per request (not prerendered) so that its
// scripts carry the Content-Security-Policy's nonce like every other page's.
export default async function SiteNotFound() {
  await connection();
  return (
    <BrandPage width="max-w-md">
      <NotFoundMessage>There is no page at this address. It may have moved, or the link may be mistyped.</NotFoundMessage>
    </BrandPage>
  );
}

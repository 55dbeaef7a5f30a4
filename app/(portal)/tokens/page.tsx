import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Tokens' };

export default async function Page() {
  await pageActor();
  return (
    <>
      <PageHeader title="Tokens" description="Client tokens that on-premises clients log in with, and the sync tokens of connected registries." />
      <EmptyState icon={<KeyRound size={32} aria-hidden />} title="No tokens yet">
        Tokens you create are listed here, with their status, scope map and password expiry.
      </EmptyState>
    </>
  );
}

import type { Metadata } from 'next';
import { Boxes } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Connected registries' };

export default async function Page() {
  await pageActor();
  return (
    <>
      <PageHeader title="Connected registries" description="The on-premises registries that sync with a parent." />
      <EmptyState icon={<Boxes size={32} aria-hidden />} title="No connected registries yet">
        Connected registries you add to a cloud registry are listed here, with their mode, state and parent.
      </EmptyState>
    </>
  );
}

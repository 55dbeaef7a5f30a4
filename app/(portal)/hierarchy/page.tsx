import type { Metadata } from 'next';
import { Network } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Hierarchy' };

export default async function Page() {
  await pageActor();
  return (
    <>
      <PageHeader title="Hierarchy" description="The tree of a cloud registry and all its connected registries." />
      <EmptyState icon={<Network size={32} aria-hidden />} title="No registries yet">
        When you add a cloud registry and connected registries, their hierarchy is drawn here.
      </EmptyState>
    </>
  );
}

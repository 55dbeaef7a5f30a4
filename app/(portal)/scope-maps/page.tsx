import type { Metadata } from 'next';
import { ShieldCheck } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Scope maps' };

export default async function Page() {
  await pageActor();
  return (
    <>
      <PageHeader title="Scope maps" description="Named sets of actions that say what a token may do." />
      <EmptyState icon={<ShieldCheck size={32} aria-hidden />} title="No scope maps yet">
        Each cloud registry has the system scope maps; the ones you create and the sync scope maps appear here.
      </EmptyState>
    </>
  );
}

import type { Metadata } from 'next';
import { ShieldAlert } from 'lucide-react';
import { AdminsPanel } from '@/components/admins-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { listAdmins } from '@/lib/admins/service';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Admins' };

export default async function AdminsPage() {
  const actor = await pageActor();
  if (!hasRole(actor, 'Owner')) {
    return (
      <EmptyState icon={<ShieldAlert size={32} aria-hidden />} title="Only Owners manage admins">
        Your role is {actor.role}. Ask an Owner if you need to add or change an admin.
      </EmptyState>
    );
  }
  const admins = await listAdmins(actor);
  return (
    <>
      <PageHeader
        title="Admins"
        description="Owners manage everything; Contributors manage registries, tokens and scope maps; Readers only look."
      />
      <AdminsPanel admins={admins} currentEmail={actor.email} />
    </>
  );
}

import type { Metadata } from 'next';
import { ShieldAlert } from 'lucide-react';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { ScopeMapCreateForm } from '@/components/scope-maps/scope-map-create-form';
import { EmptyState } from '@/components/ui/empty-state';
import { BackLink } from '@/components/ui/back-link';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { pageCloudRegistry } from '@/lib/registries/views';
import { scopeMapsHref } from '@/lib/tokens/hrefs';
import { connectedRegistryOptions } from '@/lib/tokens/views';

export const metadata: Metadata = { title: 'New scope map' };

export default async function NewScopeMapPage({ searchParams }: { searchParams: Promise<{ registry?: string }> }) {
  const actor = await pageActor();
  const { current } = await pageCloudRegistry((await searchParams).registry);
  if (!current) {
    return (
      <>
        <PageHeader title="New scope map" />
        <CloudRegistryRequired what="Scope maps" />
      </>
    );
  }
  if (!hasRole(actor, 'Contributor')) {
    return (
      <EmptyState icon={<ShieldAlert size={32} aria-hidden />} title="Creating scope maps needs the Contributor role">
        Your role is {actor.role}. Ask an Owner if you need to create scope maps.
      </EmptyState>
    );
  }
  const connectedRegistries = await connectedRegistryOptions(current.name);
  return (
    <>
      <BackLink href={scopeMapsHref(current.name)}>Scope maps of {current.name}</BackLink>
      <PageHeader title="New scope map" description={`A named set of actions for client tokens of ${current.name}.`} />
      <div className="max-w-4xl">
        <ScopeMapCreateForm registry={current.name} connectedRegistries={connectedRegistries} />
      </div>
    </>
  );
}

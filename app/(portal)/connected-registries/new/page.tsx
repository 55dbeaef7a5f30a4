import type { Metadata } from 'next';
import { Network, ShieldAlert } from 'lucide-react';
import { ConnectedRegistryForm } from '@/components/registries/connected-registry-form';
import { NoCloudRegistry } from '@/components/registries/no-cloud-registry';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { BackLink } from '@/components/ui/back-link';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { parentChoices } from '@/lib/registries/parent-choices';
import { pageCloudRegistry } from '@/lib/registries/views';

export const metadata: Metadata = { title: 'New connected registry' };

type Search = { registry?: string; parent?: string };

export default async function NewConnectedRegistryPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  if (!hasRole(actor, 'Contributor')) {
    return (
      <EmptyState icon={<ShieldAlert size={32} aria-hidden />} title="Only Contributors and Owners add connected registries">
        Your role is {actor.role}. You can look at every registry, but not add one.
      </EmptyState>
    );
  }
  const search = await searchParams;
  const { registries: options, current: cloud } = await pageCloudRegistry(search.registry);
  if (!cloud) {
    return <NoCloudRegistry icon={<Network size={32} aria-hidden />} title="Add a cloud registry first" />;
  }
  const { all, parents } = await parentChoices(cloud.name, search.parent);

  return (
    <>
      <BackLink href={`/hierarchy?registry=${encodeURIComponent(cloud.name)}`}>Hierarchy of {cloud.name}</BackLink>
      <PageHeader
        title="New connected registry"
        description="Creating it also creates its sync token and sync scope map, and gives every registry above it its repositories and gateway actions."
        actions={<RegistrySwitcher registries={options} current={cloud.name} />}
      />
      <div className="max-w-5xl">
        <ConnectedRegistryForm
          key={cloud.name}
          registry={cloud.name}
          parents={parents}
          allParents={all}
          defaultParent={search.parent ?? null}
        />
      </div>
    </>
  );
}

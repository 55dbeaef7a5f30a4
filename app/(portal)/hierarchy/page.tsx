import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Network } from 'lucide-react';
import { AddCloudRegistryButton } from '@/components/registries/add-cloud-registry-button';
import { CloudRegistryForm } from '@/components/registries/cloud-registry-form';
import { HierarchyExplorer } from '@/components/registries/hierarchy-explorer';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { FormMessage } from '@/components/ui/form-message';
import { NewItemLink } from '@/components/ui/new-item-link';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { publicUrl } from '@/lib/config';
import { pageActor } from '@/lib/auth/session';
import { newConnectedRegistryHref, registryKeys } from '@/lib/registries/client-queries';
import { hierarchyOpening } from '@/lib/registries/hierarchy-queries';
import { LEVEL_PAGE_SIZE } from '@/lib/registries/hierarchy-schemas';
import { pageCloudRegistry } from '@/lib/registries/views';

export const metadata: Metadata = { title: 'Hierarchy' };

type Search = { registry?: string; node?: string; deleted?: string };

export default async function HierarchyPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const canEdit = hasRole(actor, 'Contributor');
  const search = await searchParams;
  const { registries: options, current: cloud } = await pageCloudRegistry(search.registry);

  if (!cloud) {
    return (
      <>
        <PageHeader title="Hierarchy" description="The tree of a cloud registry and all its connected registries." />
        {canEdit ? (
          <Card title="Add your first cloud registry" className="max-w-3xl">
            <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
              A cloud registry is the root of a hierarchy: connected registries sync with it, or with each other below it. Its tokens and
              scope maps belong to it.
            </p>
            <CloudRegistryForm />
          </Card>
        ) : (
          <EmptyState icon={<Network size={32} aria-hidden />} title="No registries yet">
            When a Contributor adds a cloud registry and connected registries, their hierarchy is drawn here.
          </EmptyState>
        )}
      </>
    );
  }

  // The top levels (a small hierarchy whole, a big one's first level and the path down to
  // `?node=`) go to the client as react-query's first data; the rest loads as rows open.
  const requestedNode = typeof search.node === 'string' ? search.node : null;
  const opening = await hierarchyOpening(cloud.name, requestedNode, LEVEL_PAGE_SIZE);
  const queryClient = new QueryClient();
  for (const level of opening.levels)
    queryClient.setQueryData(registryKeys.hierarchyLevel(cloud.name, level.parent ?? '', LEVEL_PAGE_SIZE), level);
  // names compare case-insensitively; one that is not there is still selected (its details say it is gone)
  const initialNode = opening.selected ?? requestedNode;

  return (
    <>
      <PageHeader
        title="Hierarchy"
        description="A cloud registry and every connected registry under it, with live status."
        actions={
          <>
            <RegistrySwitcher registries={options} current={cloud.name} />
            {canEdit && <AddCloudRegistryButton />}
            {canEdit && <NewItemLink href={newConnectedRegistryHref(cloud.name)}>New connected registry</NewItemLink>}
          </>
        }
      />
      {search.deleted && (
        <div className="mb-4">
          <FormMessage ok message={`Deleted ${search.deleted}, with its sync token and sync scope map.`} />
        </div>
      )}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <HierarchyExplorer
          key={cloud.name}
          cloud={{ name: cloud.name, loginServer: cloud.loginServer, dataEndpoint: cloud.dataEndpoint, region: cloud.region }}
          canEdit={canEdit}
          canopyUrl={publicUrl()}
          initialNode={initialNode}
          initialExpanded={opening.levels.flatMap((l) => (l.parent ? [l.parent] : []))}
          complete={opening.complete}
        />
      </HydrationBoundary>
    </>
  );
}

import type { Metadata } from 'next';
import { Cloud } from 'lucide-react';
import Link from 'next/link';
import { AddCloudRegistryButton } from '@/components/registries/add-cloud-registry-button';
import { DeleteCloudRegistryButton } from '@/components/registries/delete-cloud-registry-button';
import { EditCloudRegistryButton } from '@/components/registries/edit-cloud-registry-button';
import { EmptyState } from '@/components/ui/empty-state';
import { FormMessage } from '@/components/ui/form-message';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { formatUtc } from '@/lib/registries/format';
import { cloudRegistryOptions } from '@/lib/registries/views';

export const metadata: Metadata = { title: 'Cloud registries' };

export default async function CloudRegistriesPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const [actor, registries, search] = await Promise.all([pageActor(), cloudRegistryOptions(), searchParams]);
  const canEdit = hasRole(actor, 'Contributor');
  return (
    <>
      <PageHeader
        title="Cloud registries"
        description="The roots of your hierarchies: each has a login server where tokens authenticate, a region, and the regional data endpoint its connected registries sync through."
        actions={canEdit && <AddCloudRegistryButton />}
      />
      {search.deleted && (
        <div className="mb-4">
          <FormMessage ok message={`Deleted the cloud registry ${search.deleted}, with its tokens and scope maps.`} />
        </div>
      )}
      {registries.length === 0 ? (
        <EmptyState icon={<Cloud size={32} aria-hidden />} title="No cloud registries yet">
          {canEdit ? 'Add one to start a hierarchy.' : 'A Contributor can add one.'}
        </EmptyState>
      ) : (
        <Table caption="Cloud registries">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Login server</Th>
              <Th>Region</Th>
              <Th>Data endpoint</Th>
              <Th>Connected registries</Th>
              <Th>Created</Th>
              {canEdit && (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {registries.map((r) => (
              <tr key={r.name} data-testid="cloud-registry-row">
                <Td className="font-medium break-all">
                  <Link
                    href={`/hierarchy?registry=${encodeURIComponent(r.name)}`}
                    className="text-brand-700 dark:text-brand-400 hover:underline"
                  >
                    {r.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs break-all">{r.loginServer}</Td>
                <Td>{r.region}</Td>
                <Td className="font-mono text-xs break-all">{r.dataEndpoint}</Td>
                <Td>{r.connectedRegistryCount}</Td>
                <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">{formatUtc(r.createdAt)}</Td>
                {canEdit && (
                  <Td>
                    <div className="flex justify-end gap-2">
                      <EditCloudRegistryButton
                        name={r.name}
                        initial={{ loginServer: r.loginServer, region: r.region, dataEndpoint: r.dataEndpoint }}
                      />
                      <DeleteCloudRegistryButton name={r.name} connectedRegistryCount={r.connectedRegistryCount} />
                    </div>
                  </Td>
                )}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

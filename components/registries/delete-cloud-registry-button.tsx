'use client';
import { ConfirmDeleteButton } from '@/components/ui/confirm-delete-button';
import { deleteCloudRegistryAction } from '@/lib/registries/actions';

/**
 * Deletes a cloud registry with its tokens and scope maps. While connected registries remain
 * under it Canopy refuses, and the dialog says why.
 */
export function DeleteCloudRegistryButton({ name, connectedRegistryCount }: { name: string; connectedRegistryCount: number }) {
  return (
    <ConfirmDeleteButton
      label="Delete"
      ariaLabel={`Delete ${name}`}
      name={name}
      afterHref={`/cloud-registries?deleted=${encodeURIComponent(name)}`}
      onDelete={() => deleteCloudRegistryAction(name)}
      description={
        connectedRegistryCount > 0 ? (
          <p>
            {name} has {connectedRegistryCount} connected {connectedRegistryCount === 1 ? 'registry' : 'registries'}. A cloud registry with
            connected registries cannot be deleted: delete them first, from the bottom of its hierarchy up.
          </p>
        ) : (
          <p>Its tokens and scope maps are deleted with it. Clients and registries using its tokens can no longer log in.</p>
        )
      }
    />
  );
}

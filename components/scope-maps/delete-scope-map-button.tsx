'use client';
import { ConfirmDeleteButton } from '@/components/ui/confirm-delete-button';
import { deleteScopeMapAction } from '@/lib/scope-maps/actions';
import { scopeMapsHref } from '@/lib/tokens/hrefs';

/** Deletes a scope map after a confirm; while a token uses it the service refuses, and its message shows. */
export function DeleteScopeMapButton({ registry, name, tokenCount }: { registry: string; name: string; tokenCount: number }) {
  return (
    <ConfirmDeleteButton
      label="Delete scope map"
      name={name}
      description={
        tokenCount > 0 ? (
          <p>
            {tokenCount} {tokenCount === 1 ? 'token uses' : 'tokens use'} it: give {tokenCount === 1 ? 'it' : 'them'} another scope map
            first, or the delete is refused.
          </p>
        ) : (
          <p>No token uses it. This cannot be undone.</p>
        )
      }
      onDelete={() => deleteScopeMapAction(registry, name)}
      afterHref={scopeMapsHref(registry)}
    />
  );
}

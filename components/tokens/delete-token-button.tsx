'use client';
import { ConfirmDeleteButton } from '@/components/ui/confirm-delete-button';
import { tokensHref } from '@/lib/tokens/hrefs';
import { deleteTokenAction } from '@/lib/tokens/actions';

/** Deletes a token after a confirm; the service's refusal (in use, a sync token) shows in the dialog. */
export function DeleteTokenButton({ registry, token, acceptedBy }: { registry: string; token: string; acceptedBy: string[] }) {
  return (
    <ConfirmDeleteButton
      label="Delete token"
      name={token}
      description={
        <>
          <p>Both its passwords stop working, and clients can no longer log in with {token}. This cannot be undone.</p>
          {acceptedBy.length > 0 && (
            <p>
              It is a client token of {acceptedBy.join(', ')}: remove it from{' '}
              {acceptedBy.length === 1 ? 'that registry' : 'those registries'} first.
            </p>
          )}
        </>
      }
      onDelete={() => deleteTokenAction(registry, token)}
      afterHref={tokensHref(registry)}
    />
  );
}

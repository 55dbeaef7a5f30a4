'use client';
import { Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { deleteScopeMapAction } from '@/lib/scope-maps/actions';
import { scopeMapsHref } from '@/lib/tokens/hrefs';

/** Deletes a scope map after a confirm; while a token uses it the service refuses, and its message shows. */
export function DeleteScopeMapButton({ registry, name, tokenCount }: { registry: string; name: string; tokenCount: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(undefined);
    startTransition(async () => {
      const result = await deleteScopeMapAction(registry, name);
      if (result.ok) router.push(scopeMapsHref(registry));
      else setError(result.message);
    });
  }

  return (
    <ConfirmActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setError(undefined);
      }}
      trigger={
        <Button variant="secondary" className="text-red-700">
          <Trash2 size={15} aria-hidden /> Delete scope map
        </Button>
      }
      title={`Delete ${name}?`}
      description={
        tokenCount > 0 ? (
          <p>
            {tokenCount} {tokenCount === 1 ? 'token uses' : 'tokens use'} it: give {tokenCount === 1 ? 'it' : 'them'} another scope map first, or
            the delete is refused.
          </p>
        ) : (
          <p>No token uses it. This cannot be undone.</p>
        )
      }
      confirmLabel={`Delete ${name}`}
      pendingLabel="Deleting…"
      pending={pending}
      error={error}
      onConfirm={confirm}
    />
  );
}

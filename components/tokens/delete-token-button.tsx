'use client';
import { Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { tokensHref } from '@/lib/tokens/hrefs';
import { deleteTokenAction } from '@/lib/tokens/actions';

/** Deletes a token after a confirm; the service's refusal (in use, a sync token) shows in the dialog. */
export function DeleteTokenButton({ registry, token, acceptedBy }: { registry: string; token: string; acceptedBy: string[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(undefined);
    startTransition(async () => {
      const result = await deleteTokenAction(registry, token);
      if (result.ok) router.push(tokensHref(registry));
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
          <Trash2 size={15} aria-hidden /> Delete token
        </Button>
      }
      title={`Delete ${token}?`}
      description={
        <>
          <p>Both its passwords stop working, and clients can no longer log in with {token}. This cannot be undone.</p>
          {acceptedBy.length > 0 && (
            <p>
              It is a client token of {acceptedBy.join(', ')}: remove it from {acceptedBy.length === 1 ? 'that registry' : 'those registries'} first.
            </p>
          )}
        </>
      }
      confirmLabel={`Delete ${token}`}
      pendingLabel="Deleting…"
      pending={pending}
      error={error}
      onConfirm={confirm}
    />
  );
}

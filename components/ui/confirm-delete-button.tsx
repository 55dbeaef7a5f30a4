'use client';
import { Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type ReactNode } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from './button';
import { ConfirmActionDialog } from './confirm-action-dialog';

/**
 * A "Delete …" button that asks first. Confirming runs `onDelete` (a server action); when it
 * succeeds the browser goes to `afterHref`, when the service refuses its message shows in the dialog.
 */
export function ConfirmDeleteButton({
  label,
  ariaLabel,
  name,
  description,
  onDelete,
  afterHref,
}: {
  /** the button's text, e.g. "Delete token" */
  label: string;
  /** the button's accessible name when its text alone does not say what it deletes (a table row's "Delete") */
  ariaLabel?: string;
  /** what is deleted, named in the dialog's title and its confirm button */
  name: string;
  description: ReactNode;
  onDelete: () => Promise<ActionState>;
  afterHref: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(undefined);
    startTransition(async () => {
      const result = await onDelete();
      if (result.ok) router.push(afterHref);
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
        <Button variant="secondary" className="text-red-700 dark:text-red-400" aria-label={ariaLabel}>
          <Trash2 size={15} aria-hidden /> {label}
        </Button>
      }
      title={`Delete ${name}?`}
      description={description}
      confirmLabel={`Delete ${name}`}
      pendingLabel="Deleting…"
      pending={pending}
      error={error}
      onConfirm={confirm}
    />
  );
}

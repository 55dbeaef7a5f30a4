'use client';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';

/** A webhook secret, shown this once; closing the dialog drops it. */
export function SecretDialog({
  title,
  secret,
  note,
  onClose,
}: {
  title: string;
  secret: string | null;
  note?: string;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => !open && onClose()}
      title={title}
      description="Copy it now: it is shown this once. Your receiver verifies each request's webhook-signature with it."
    >
      {secret && (
        <div className="space-y-3">
          <code
            data-testid="revealed-secret"
            className="block break-all rounded-md bg-slate-900 dark:bg-slate-950 px-3 py-2 font-mono text-sm text-emerald-200"
          >
            {secret}
          </code>
          {note && <p className="text-xs text-slate-600 dark:text-slate-400">{note}</p>}
          <div className="flex items-center justify-between">
            <CopyButton value={secret} />
            <Button onClick={onClose}>I have copied it</Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

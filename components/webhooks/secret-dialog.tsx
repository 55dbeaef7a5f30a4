'use client';
import { OneTimeDialog } from '@/components/tokens/one-time-dialog';
import { SecretValue } from '@/components/tokens/secret-value';

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
    <OneTimeDialog
      open={secret !== null}
      onClose={onClose}
      title={title}
      secretName="this secret"
      warning={
        <>
          <strong>Copy it now:</strong> it is shown this once. Your receiver verifies each request&apos;s webhook-signature with it.
        </>
      }
    >
      {secret && (
        <>
          <SecretValue label="Webhook secret" value={secret} testId="revealed-secret" />
          {note && <p className="text-xs text-slate-600 dark:text-slate-400">{note}</p>}
        </>
      )}
    </OneTimeDialog>
  );
}

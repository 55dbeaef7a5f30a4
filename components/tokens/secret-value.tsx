'use client';
import { CopyButton } from '@/components/ui/copy-button';
import { useReportSecretCopied } from './one-time-dialog';

/**
 * A secret shown once, with a copy button. It is rendered as text only, never as an input's value.
 * Inside a one-time dialog, a copy (the button, or a selection copied by hand) tells the dialog that
 * it may close without asking.
 */
export function SecretValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const reportCopied = useReportSecretCopied();
  return (
    <div role="group" aria-label={label} className="flex items-start gap-2" onCopy={() => reportCopied?.()}>
      <code
        data-testid={testId}
        className="block min-w-0 flex-1 select-all break-all rounded-md bg-slate-900 dark:bg-slate-950 px-3 py-2 font-mono text-sm text-emerald-200"
      >
        {value}
      </code>
      <CopyButton value={value} label="Copy" onCopied={reportCopied ?? undefined} />
    </div>
  );
}

'use client';
import { CopyButton } from '@/components/ui/copy-button';

/** A secret shown once, with a copy button. It is rendered as text only, never as an input's value. */
export function SecretValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div role="group" aria-label={label} className="flex items-start gap-2">
      <code
        data-testid={testId}
        className="block min-w-0 flex-1 select-all break-all rounded-md bg-slate-900 dark:bg-slate-950 px-3 py-2 font-mono text-sm text-emerald-200"
      >
        {value}
      </code>
      <CopyButton value={value} label="Copy" />
    </div>
  );
}

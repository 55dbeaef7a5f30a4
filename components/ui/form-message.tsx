import { clsx } from 'clsx';

/** The form's overall outcome, announced to screen readers. */
export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  return (
    <div aria-live="polite" role="status">
      {message && (
        <p
          className={clsx(
            'rounded-md px-3 py-2 text-sm',
            ok
              ? 'bg-emerald-50 dark:bg-emerald-950/40 text-emerald-800 dark:text-emerald-300'
              : 'bg-red-50 dark:bg-red-950/40 text-red-700 dark:text-red-400',
          )}
        >
          {message}
        </p>
      )}
    </div>
  );
}

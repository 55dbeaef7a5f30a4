import { clsx } from 'clsx';

/** The form's overall outcome, announced to screen readers. */
export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  return (
    <div aria-live="polite" role="status">
      {message && (
        <p className={clsx('rounded-md px-3 py-2 text-sm', ok ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-700')}>{message}</p>
      )}
    </div>
  );
}

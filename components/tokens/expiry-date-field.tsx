'use client';

/** An optional expiry day for a new password: it stops working at the end of that day (UTC). */
export function ExpiryDateField({
  id,
  min,
  value,
  onChange,
}: {
  id: string;
  min?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">
        Expires on <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
      </label>
      <input
        id={id}
        type="date"
        min={min}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-hint`}
        className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
        The password stops working at the end of that day (UTC). Leave empty for no expiry.
      </p>
    </div>
  );
}

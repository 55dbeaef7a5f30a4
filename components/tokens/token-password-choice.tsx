'use client';
// The token form's Passwords section: both slots get a password with no expiry, expiring on a
// day or after a number of days, or no passwords yet.
import { useId } from 'react';
import { FieldErrors } from '@/components/ui/field';
import { RadioOption } from '@/components/ui/radio-option';

export type PasswordChoice = 'no-expiry' | 'expiry' | 'days' | 'none';

export function TokenPasswordChoice({
  choice,
  onChoice,
  expiryDate,
  onExpiryDate,
  expiryDays,
  onExpiryDays,
  today,
  fieldErrors,
}: {
  choice: PasswordChoice;
  onChoice: (choice: PasswordChoice) => void;
  expiryDate: string;
  onExpiryDate: (day: string) => void;
  expiryDays: string;
  onExpiryDays: (days: string) => void;
  /** YYYY-MM-DD, the earliest expiry day */
  today: string;
  fieldErrors: Record<string, string[]>;
}) {
  const ids = useId();
  const option = (value: PasswordChoice) => ({ name: 'passwords', checked: choice === value, onSelect: () => onChoice(value) });
  return (
    <section className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <h2 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Passwords</h2>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">Both slots get a password, shown once after the token is created.</p>
      <div className="flex flex-col gap-2 sm:max-w-xl">
        <RadioOption {...option('no-expiry')}>Generate both passwords, with no expiry</RadioOption>
        <RadioOption
          {...option('expiry')}
          details={
            <>
              <label htmlFor={`${ids}-expiry`} className="sr-only">
                Expiry day
              </label>
              <input
                id={`${ids}-expiry`}
                type="date"
                min={today}
                value={expiryDate}
                onChange={(e) => onExpiryDate(e.target.value)}
                aria-describedby="expiry-error"
                aria-invalid={fieldErrors.expiry ? true : undefined}
                className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
              />
              <span className="text-xs text-slate-500 dark:text-slate-400">They stop working at the end of that day (UTC).</span>
            </>
          }
        >
          Generate both passwords, expiring on a day
        </RadioOption>
        <RadioOption
          {...option('days')}
          details={
            <>
              <label htmlFor={`${ids}-days`} className="text-sm text-slate-700 dark:text-slate-300">
                Days
              </label>
              <input
                id={`${ids}-days`}
                type="number"
                min={1}
                max={3650}
                value={expiryDays}
                onChange={(e) => onExpiryDays(e.target.value)}
                aria-describedby="expiresInDays-error"
                aria-invalid={fieldErrors.expiresInDays ? true : undefined}
                className="w-24 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
              />
              <span className="text-xs text-slate-500 dark:text-slate-400">From now: 1 to 3650.</span>
              <FieldErrors id="expiresInDays-error" errors={fieldErrors.expiresInDays} />
            </>
          }
        >
          Generate both passwords, expiring after a number of days
        </RadioOption>
        <RadioOption {...option('none')}>
          <span>No passwords yet (generate them later on the token’s page)</span>
        </RadioOption>
        <FieldErrors id="expiry-error" errors={fieldErrors.expiry ?? fieldErrors.noPasswords} />
      </div>
    </section>
  );
}

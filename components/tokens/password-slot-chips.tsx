import { clsx } from 'clsx';
import { formatTime, relativeTime } from '@/lib/tokens/format';
import { PASSWORD_SLOTS, type PasswordSlotDto } from '@/lib/tokens/schemas';

/** Both password slots of a token at a glance: empty, valid, expiring (≤ 30 days) or expired. */
export function PasswordSlotChips({ passwords, now }: { passwords: PasswordSlotDto[]; now: number }) {
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Password slots">
      {PASSWORD_SLOTS.map((slot) => {
        const p = passwords.find((x) => x.name === slot);
        const text = !p
          ? 'empty'
          : p.state === 'expired'
            ? `expired ${relativeTime(p.expiry!, now)}`
            : p.state === 'expiring'
              ? `expires ${relativeTime(p.expiry!, now)}`
              : p.expiry
                ? `until ${p.expiry.slice(0, 10)}`
                : 'no expiry';
        return (
          <li
            key={slot}
            data-testid={`slot-${slot}`}
            data-state={p?.state ?? 'empty'}
            title={
              p
                ? `${slot}: created ${formatTime(p.creationTime)}${p.expiry ? `, expires ${formatTime(p.expiry)}` : ''}`
                : `${slot}: no password`
            }
            className={clsx(
              'inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs ring-1 ring-inset',
              !p && 'bg-white dark:bg-slate-900 text-slate-600 dark:text-slate-400 ring-slate-200 dark:ring-slate-700',
              p?.state === 'valid' &&
                'bg-slate-50 dark:bg-slate-800/60 text-slate-700 dark:text-slate-300 ring-slate-200 dark:ring-slate-700',
              p?.state === 'expiring' &&
                'bg-amber-50 dark:bg-amber-950/40 text-amber-800 dark:text-amber-200 ring-amber-300 dark:ring-amber-700',
              p?.state === 'expired' && 'bg-red-50 dark:bg-red-950/40 text-red-700 dark:text-red-400 ring-red-300 dark:ring-red-700',
            )}
          >
            <span className="font-mono font-medium">{slot.replace('password', 'pw')}</span>
            <span>{text}</span>
          </li>
        );
      })}
    </ul>
  );
}

'use client';
import { ALL_AUDIT_EVENTS, EVENT_TYPES } from '@/lib/webhooks/event-types';

const labels: Record<string, string> = {
  '*': 'Every alert',
  [ALL_AUDIT_EVENTS]: 'Every audit event (for a SIEM)',
};

/** The event types an endpoint receives: "*" (every alert), single types, and audit forwarding. */
export function EventChoices({ value, onChange, errors }: { value: string[]; onChange: (next: string[]) => void; errors?: string[] }) {
  const all = value.includes('*');
  const toggle = (type: string, on: boolean) => onChange(on ? [...value, type] : value.filter((v) => v !== type));
  return (
    <fieldset className="space-y-1.5" aria-describedby={errors?.length ? 'events-errors' : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Events</legend>
      {['*', ...EVENT_TYPES, ALL_AUDIT_EVENTS].map((type) => (
        <label key={type} className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
          <input
            type="checkbox"
            checked={value.includes(type) || (all && type !== '*' && type !== ALL_AUDIT_EVENTS)}
            disabled={all && type !== '*' && type !== ALL_AUDIT_EVENTS}
            onChange={(e) => toggle(type, e.target.checked)}
          />
          {labels[type] ?? <code className="text-xs">{type.replace('io.canopy.', '')}</code>}
        </label>
      ))}
      {errors?.length ? (
        <p id="events-errors" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {errors[0]}
        </p>
      ) : null}
    </fieldset>
  );
}

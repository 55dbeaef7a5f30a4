'use client';
// The token form's choice of an existing scope map, with the chosen map's description and first
// actions under it.
import { useId } from 'react';
import { FieldErrors } from '@/components/ui/field';
import { ScopeMapOptions, type ScopeMapChoice } from './scope-map-options';

const SHOWN_ACTIONS = 12;

export function ExistingScopeMapPicker({
  choices,
  value,
  onChange,
  errors,
}: {
  choices: { user: ScopeMapChoice[]; system: ScopeMapChoice[] };
  value: string;
  onChange: (scopeMap: string) => void;
  errors?: string[];
}) {
  const id = `${useId()}-scope-map`;
  const chosen = [...choices.user, ...choices.system].find((m) => m.name === value);
  return (
    <div className="max-w-xl">
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">
        Scope map
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="scopeMap-error"
        aria-invalid={errors ? true : undefined}
        className="block w-full rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm shadow-sm"
      >
        <ScopeMapOptions choices={choices} current={value} />
      </select>
      <FieldErrors id="scopeMap-error" errors={errors} />
      {chosen && (
        <div className="mt-3 rounded-md bg-slate-50 dark:bg-slate-800/60 p-3">
          {chosen.description && <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{chosen.description}</p>}
          <ul className="flex flex-wrap gap-1" aria-label={`Actions of ${chosen.name}`}>
            {chosen.actions.slice(0, SHOWN_ACTIONS).map((a) => (
              <li
                key={a}
                className="rounded bg-white dark:bg-slate-900 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:text-slate-300 ring-1 ring-slate-200 dark:ring-slate-700"
              >
                {a}
              </li>
            ))}
            {chosen.actions.length > SHOWN_ACTIONS && (
              <li className="text-xs text-slate-500 dark:text-slate-400">+{chosen.actions.length - SHOWN_ACTIONS} more</li>
            )}
          </ul>
        </div>
      )}
    </div>
  );
}

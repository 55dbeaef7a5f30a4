'use client';
import { clsx } from 'clsx';

export type Choice<V extends string> = { value: V; title: string; text: string };

/** A radio group drawn as cards, each with a title and a line of text; the chosen one is outlined. */
export function ChoiceCards<V extends string>({
  choices,
  value,
  onChange,
  name,
}: {
  choices: readonly Choice<V>[];
  value: V;
  onChange: (value: V) => void;
  /** when set, the choice is submitted with the form under this name */
  name?: string;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      {choices.map((c) => (
        <label
          key={c.value}
          className={clsx(
            'flex cursor-pointer gap-3 rounded-md border p-3 text-sm',
            value === c.value
              ? 'border-brand-500 bg-brand-50/60 dark:bg-brand-900/30 ring-1 ring-brand-500'
              : 'border-slate-300 dark:border-slate-700 hover:bg-slate-50 dark:hover:bg-slate-800/60',
          )}
        >
          <input
            type="radio"
            name={name}
            value={c.value}
            checked={value === c.value}
            onChange={() => onChange(c.value)}
            className="mt-0.5 accent-brand-600"
          />
          <span>
            <span className="block font-medium text-slate-900 dark:text-slate-100">{c.title}</span>
            <span className="block text-xs text-slate-600 dark:text-slate-400">{c.text}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

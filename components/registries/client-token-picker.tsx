'use client';
// Picks client tokens by name with a WAI-ARIA combobox. A cloud registry can have tens of
// thousands of tokens, so the list is searched on the server (20 at a time) as the user types.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { Check, KeyRound, X } from 'lucide-react';
import { useId, useState, type KeyboardEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { FieldErrors } from '@/components/ui/field';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { registryKeys, searchClientTokens } from '@/lib/registries/client-queries';

type Props = {
  registry: string;
  label: string;
  value: string[];
  onChange: (names: string[]) => void;
  /** tokens not to offer (for example those the registry accepts already) */
  exclude?: string[];
  /** when set, the chosen names are submitted with the form under this name */
  name?: string;
  errors?: string[];
  hint?: string;
  id?: string;
  /** for a ReadOnly registry: tokens whose scope map does more than read are shown disabled, with the reason */
  readOnlyOnly?: boolean;
};

/** Why a token cannot be picked, or null when it can. */
function ineligibleReason(token: { readOnly: boolean; scopeMap: string }, readOnlyOnly: boolean): string | null {
  return readOnlyOnly && !token.readOnly ? `not read-only: scope map ${token.scopeMap} allows writing` : null;
}

export function ClientTokenPicker({ registry, label, value, onChange, exclude = [], name, errors, hint, id, readOnlyOnly = false }: Props) {
  const autoId = useId();
  const inputId = id ?? `token-picker-${autoId}`;
  const listId = `${inputId}-list`;
  const errorId = `${inputId}-error`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  // ask the server once the user pauses typing
  const q = useDebouncedValue(text);

  const tokens = useQuery({
    queryKey: registryKeys.clientTokenSearch(registry, q),
    queryFn: ({ signal }) => searchClientTokens(registry, q, signal),
    enabled: open,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  // the tokens it may accept first, then the others (disabled, with the reason)
  const found = (tokens.data?.items ?? []).filter((t) => !exclude.includes(t.name));
  const options = [...found.filter((t) => !ineligibleReason(t, readOnlyOnly)), ...found.filter((t) => ineligibleReason(t, readOnlyOnly))];
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));

  function toggle(tokenName: string) {
    onChange(value.includes(tokenName) ? value.filter((v) => v !== tokenName) : [...value, tokenName]);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive(Math.min(activeIndex + 1, options.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (event.key === 'Enter') {
      if (open && options[activeIndex]) {
        event.preventDefault();
        if (!ineligibleReason(options[activeIndex], readOnlyOnly)) toggle(options[activeIndex].name);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      }
    } else if (event.key === 'Backspace' && !text && value.length) {
      onChange(value.slice(0, -1));
    }
  }

  const optionId = (i: number) => `${inputId}-opt-${i}`;
  return (
    <div>
      <label htmlFor={inputId} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <div
        className={clsx(
          'relative rounded-md border bg-white dark:bg-slate-900 px-2 py-1.5 shadow-sm focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-600 dark:focus-within:outline-brand-400',
          errors?.length ? 'border-red-500' : 'border-slate-300 dark:border-slate-700',
        )}
      >
        <ul className="flex flex-wrap items-center gap-1.5" aria-label="Tokens chosen so far">
          {value.map((v) => (
            <li
              key={v}
              className="inline-flex items-center gap-1 rounded-full bg-slate-100 dark:bg-slate-800 py-0.5 pl-2 pr-1 text-xs font-medium text-slate-800 dark:text-slate-200"
            >
              <KeyRound size={11} aria-hidden className="text-slate-500 dark:text-slate-400" />
              {v}
              <button
                type="button"
                onClick={() => toggle(v)}
                aria-label={`Remove ${v}`}
                className="rounded-full p-0.5 text-slate-500 dark:text-slate-400 hover:bg-slate-200 dark:hover:bg-slate-700"
              >
                <X size={12} />
              </button>
              {name && <input type="hidden" name={name} value={v} />}
            </li>
          ))}
          <li className="min-w-40 flex-1">
            <input
              id={inputId}
              role="combobox"
              aria-expanded={open}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={open && options.length ? optionId(activeIndex) : undefined}
              aria-describedby={hint ? `${errorId} ${inputId}-hint` : errorId}
              aria-invalid={errors?.length ? true : undefined}
              autoComplete="off"
              spellCheck={false}
              value={text}
              placeholder={value.length ? 'Add another…' : 'Search client tokens by name…'}
              onChange={(e) => {
                setText(e.target.value);
                setOpen(true);
                setActive(0);
              }}
              onFocus={() => setOpen(true)}
              onBlur={() => setOpen(false)}
              onKeyDown={onKeyDown}
              className="w-full border-0 bg-transparent p-0.5 text-sm outline-none placeholder:text-slate-400 dark:placeholder:text-slate-500"
            />
          </li>
        </ul>
        {open && (
          <ul
            id={listId}
            role="listbox"
            aria-label="Matching client tokens"
            aria-multiselectable
            className="absolute left-0 right-0 top-full z-20 mt-1 max-h-64 overflow-auto rounded-md border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 py-1 shadow-lg"
          >
            {options.map((t, i) => {
              const chosen = value.includes(t.name);
              const reason = ineligibleReason(t, readOnlyOnly);
              return (
                <li
                  key={t.name}
                  id={optionId(i)}
                  role="option"
                  aria-selected={chosen}
                  aria-disabled={reason ? true : undefined}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    if (!reason) toggle(t.name);
                  }}
                  onMouseEnter={() => setActive(i)}
                  className={clsx(
                    'flex items-center gap-2 px-3 py-1.5 text-sm',
                    reason ? 'cursor-not-allowed' : 'cursor-pointer',
                    i === activeIndex ? 'bg-brand-50 dark:bg-brand-900/40' : undefined,
                  )}
                >
                  <Check size={14} aria-hidden className={chosen ? 'text-brand-600 dark:text-brand-400' : 'invisible'} />
                  <span
                    className={clsx('font-medium', reason ? 'text-slate-600 dark:text-slate-400' : 'text-slate-900 dark:text-slate-100')}
                  >
                    {t.name}
                  </span>
                  <span className="truncate text-xs text-slate-600 dark:text-slate-400">{reason ?? `scope map ${t.scopeMap}`}</span>
                  {t.status === 'disabled' && (
                    <Badge tone="red" className="ml-auto">
                      disabled
                    </Badge>
                  )}
                </li>
              );
            })}
            {options.length === 0 && (
              <li role="presentation" className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">
                {tokens.isFetching
                  ? 'Searching…'
                  : tokens.error
                    ? tokens.error.message
                    : q
                      ? `No client token name contains “${q}”.`
                      : 'No client tokens yet.'}
              </li>
            )}
          </ul>
        )}
      </div>
      {hint && (
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

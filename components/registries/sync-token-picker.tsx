'use client';
// Picks an existing token to adopt as a new connected registry's sync token. Tokens are searched
// on the server (20 at a time, GET R/sync-token-candidates); each is checked here with the same
// rule the server refuses with, for the name, mode and client tokens typed so far: an
// ineligible token is offered disabled, with the reason. The choice is submitted from a hidden
// field, so it survives a new search and a token that turns ineligible after it was chosen is
// still sent: the server then says why it refuses it, by the field.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { useId, useState } from 'react';
import { FieldErrors } from '@/components/ui/field';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { fetchSyncTokenCandidates, registryKeys } from '@/lib/registries/client-queries';
import type { Mode } from '@/lib/registries/rules';
import { syncTokenRefusal } from '@/lib/registries/sync-token-eligibility';

type Props = {
  registry: string;
  /** the registry being created, as typed so far */
  target: { name: string; mode: Mode; clientTokens: string[] };
  value: string;
  onChange: (name: string) => void;
  errors?: string[];
};

export function SyncTokenPicker({ registry, target, value, onChange, errors }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  // ask the server once the user pauses typing
  const q = useDebouncedValue(text);

  const candidates = useQuery({
    queryKey: registryKeys.syncTokenCandidates(registry, q),
    queryFn: ({ signal }) => fetchSyncTokenCandidates(registry, q, signal),
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
  const items = (candidates.data?.items ?? []).map((token) => ({ token, refusal: syncTokenRefusal(token, target) }));

  return (
    <div className="space-y-2">
      <label htmlFor={`${id}-search`} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        Search tokens
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Part of a token’s name"
        autoComplete="off"
        spellCheck={false}
        className="block w-full max-w-md rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-2 text-sm shadow-sm"
      />
      <fieldset aria-describedby={`${id}-hint syncToken-error`} aria-invalid={errors?.length ? true : undefined}>
        <legend className="sr-only">Existing token to adopt as the sync token</legend>
        <ul
          className="max-h-80 divide-y divide-slate-100 dark:divide-slate-800 overflow-auto rounded-md border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900"
          data-testid="sync-token-candidates"
        >
          {items.map(({ token, refusal }) => (
            <li key={token.name}>
              <label
                className={clsx(
                  'flex gap-3 px-3 py-2 text-sm',
                  refusal
                    ? 'cursor-not-allowed bg-slate-50/60 dark:bg-slate-800/40'
                    : 'cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/60',
                  value === token.name && 'bg-brand-50/60 dark:bg-brand-900/30',
                )}
              >
                <input
                  type="radio"
                  name={`${id}-choice`}
                  value={token.name}
                  checked={value === token.name}
                  disabled={refusal !== null}
                  onChange={() => onChange(token.name)}
                  aria-labelledby={`${id}-${token.name}-name`}
                  aria-describedby={`${id}-${token.name}-about`}
                  className="mt-0.5 accent-brand-600"
                />
                <span className="min-w-0">
                  <span
                    id={`${id}-${token.name}-name`}
                    className={clsx(
                      'block font-medium',
                      refusal ? 'text-slate-500 dark:text-slate-400' : 'text-slate-900 dark:text-slate-100',
                    )}
                  >
                    {token.name}
                  </span>
                  <span
                    id={`${id}-${token.name}-about`}
                    className={clsx('block text-xs', refusal ? 'text-amber-800 dark:text-amber-200' : 'text-slate-600 dark:text-slate-400')}
                  >
                    {refusal
                      ? refusal.message
                      : `Syncs ${token.scopeMap.repositories.join(', ')} (scope map ${token.scopeMap.name}). ${
                          token.filledSlotCount < 2
                            ? 'A password is generated for its empty slot and shown once.'
                            : 'Both its password slots are in use: none is generated; rotate one on the registry’s page to deploy.'
                        }`}
                  </span>
                </span>
              </label>
            </li>
          ))}
          {items.length === 0 && (
            <li className="px-3 py-3 text-sm text-slate-500 dark:text-slate-400">
              {candidates.isFetching
                ? 'Searching…'
                : candidates.error
                  ? candidates.error.message
                  : q
                    ? `No token name contains “${q}”.`
                    : 'This cloud registry has no token that is not already a sync token.'}
            </li>
          )}
        </ul>
      </fieldset>
      <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
        Its scope map’s repositories are what the registry syncs; the registry’s gateway actions are added to that map. Deleting the
        registry later leaves the token.
      </p>
      <input type="hidden" name="syncToken" value={value} />
      {value && !items.some(({ token }) => token.name === value) && (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="sync-token-chosen">
          Chosen: <span className="font-mono">{value}</span>
        </p>
      )}
      <FieldErrors id="syncToken-error" errors={errors} />
    </div>
  );
}

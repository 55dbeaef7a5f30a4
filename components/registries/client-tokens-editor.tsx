'use client';
import { useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus, X } from 'lucide-react';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { bannerMessage, type ActionState } from '@/lib/actions';
import { updateClientTokensAction } from '@/lib/registries/actions';
import { registryKeys } from '@/lib/registries/client-queries';
import { tokenHref } from '@/lib/tokens/hrefs';
import { ClientTokenPicker } from './client-token-picker';

type AcceptedToken = { name: string; status: string; scopeMap: string };

/** The client tokens a connected registry accepts: remove them, or pick more to add. */
export function ClientTokensEditor({
  registry,
  name,
  mode,
  tokens,
  canEdit,
}: {
  registry: string;
  name: string;
  mode: 'ReadWrite' | 'ReadOnly';
  tokens: AcceptedToken[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();

  function change(add: string[], remove: string[]) {
    startTransition(async () => {
      const result = await updateClientTokensAction(registry, name, { add, remove });
      setState(result);
      if (result.ok) {
        setPicked([]);
        await queryClient.invalidateQueries({ queryKey: registryKeys.connected(registry, name) });
      }
    });
  }

  const pickerErrors = state.ok ? undefined : (state.fieldErrors?.addClientTokens ?? state.fieldErrors?.clientTokens);
  return (
    <div className="space-y-4">
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          It accepts no client tokens yet: no on-premises client can log in to it.
        </p>
      ) : (
        <ul
          className="divide-y divide-slate-100 dark:divide-slate-800 rounded-md border border-slate-200 dark:border-slate-800"
          aria-label="Accepted client tokens"
        >
          {tokens.map((t) => (
            <li key={t.name} className="flex items-center gap-3 px-3 py-2 text-sm">
              <KeyRound size={14} aria-hidden className="text-slate-400 dark:text-slate-500" />
              <Link href={tokenHref(registry, t.name)} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                {t.name}
              </Link>
              <span className="truncate text-xs text-slate-500 dark:text-slate-400">scope map {t.scopeMap}</span>
              <Badge tone={t.status === 'enabled' ? 'green' : 'red'}>{t.status}</Badge>
              {canEdit && (
                <Button
                  variant="ghost"
                  size="sm"
                  className="ml-auto"
                  disabled={pending}
                  onClick={() => change([], [t.name])}
                  aria-label={`Stop accepting ${t.name}`}
                >
                  <X size={14} aria-hidden /> Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <div className="flex flex-wrap items-start gap-2">
          <div className="min-w-72 flex-1">
            <ClientTokenPicker
              registry={registry}
              id="add-client-tokens"
              label="Accept more client tokens"
              value={picked}
              onChange={(names) => {
                setPicked(names);
                if (state.message) setState({ ok: false });
              }}
              exclude={tokens.map((t) => t.name)}
              readOnlyOnly={mode === 'ReadOnly'}
              hint={mode === 'ReadOnly' ? `${name} is ReadOnly: only tokens whose scope map only reads are accepted.` : undefined}
              errors={pickerErrors}
            />
          </div>
          <Button variant="secondary" className="mt-6" disabled={pending || picked.length === 0} onClick={() => change(picked, [])}>
            <Plus size={14} aria-hidden /> {picked.length > 1 ? `Add ${picked.length} tokens` : 'Add token'}
          </Button>
        </div>
      )}
      {/* an error about the picked tokens shows once, under the picker */}
      <FormMessage ok={state.ok} message={state.ok ? state.message : bannerMessage(state, ['addClientTokens', 'clientTokens'])} />
    </div>
  );
}

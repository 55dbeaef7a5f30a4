'use client';
// Gives a client token another scope map. The ReadOnly rule (a ReadOnly registry's client
// tokens may only read) is the service's: its refusal is shown here.
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { scopeMapHref } from '@/lib/tokens/hrefs';
import { updateTokenAction } from '@/lib/tokens/actions';
import { ScopeMapOptions, type ScopeMapChoice } from './scope-map-options';

export function TokenScopeMapForm({
  registry,
  token,
  scopeMap,
  choices,
}: {
  registry: string;
  token: string;
  scopeMap: string;
  choices: { user: ScopeMapChoice[]; system: ScopeMapChoice[] };
}) {
  const [selected, setSelected] = useState(scopeMap);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const result = await updateTokenAction(registry, token, { scopeMap: selected });
      setMessage({ ok: result.ok, text: result.message ?? '' });
    });
  }

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <label htmlFor="token-scope-map" className="sr-only">
          Scope map of {token}
        </label>
        <select
          id="token-scope-map"
          value={selected}
          onChange={(e) => {
            setSelected(e.target.value);
            setMessage(undefined);
          }}
          disabled={pending}
          className="w-full min-w-0 flex-1 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-2.5 py-1.5 font-mono text-sm shadow-sm"
        >
          <ScopeMapOptions choices={choices} current={scopeMap} />
        </select>
        <Button size="sm" onClick={save} disabled={pending || selected === scopeMap}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        A change applies at once to every connected registry that accepts {token}.{' '}
        <Link href={scopeMapHref(registry, scopeMap)} className="text-brand-700 underline dark:text-brand-400">
          View {scopeMap}
        </Link>
      </p>
      <FormMessage ok={message?.ok} message={message?.text} />
    </div>
  );
}

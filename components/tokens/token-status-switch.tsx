'use client';
// A client token's enabled/disabled switch. Disabling asks first: clients stop being able to log in.
import { useId, useOptimistic, useState, useTransition } from 'react';
import { FormMessage } from '@/components/ui/form-message';
import { ToggleSwitch } from '@/components/ui/toggle-switch';
import { updateTokenAction } from '@/lib/tokens/actions';
import type { TokenStatus } from '@/lib/tokens/schemas';
import { TokenStatusDialog } from './token-status-dialog';

export function TokenStatusSwitch({
  registry,
  token,
  status,
  acceptedBy,
}: {
  registry: string;
  token: string;
  status: TokenStatus;
  acceptedBy: string[];
}) {
  const ids = useId();
  const [optimisticStatus, setOptimisticStatus] = useOptimistic(status);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  // enabling harms no one: it applies at once
  function enable() {
    startTransition(async () => {
      setOptimisticStatus('enabled');
      const result = await updateTokenAction(registry, token, { status: 'enabled' });
      setMessage(result.ok ? undefined : { ok: false, text: result.message ?? 'Could not change the status.' });
    });
  }

  const enabled = optimisticStatus === 'enabled';
  return (
    <div>
      <div className="flex items-start gap-3">
        <ToggleSwitch
          checked={enabled}
          disabled={pending}
          labelledBy={`${ids}-label`}
          describedBy={`${ids}-hint`}
          onCheckedChange={(checked) => (checked ? enable() : setConfirming(true))}
        />
        <div className="text-sm">
          <p id={`${ids}-label`} className="font-medium text-slate-900 dark:text-slate-100">
            {enabled ? 'Enabled' : 'Disabled'}
            <span className="sr-only"> — status of {token}</span>
          </p>
          <p id={`${ids}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            {enabled ? 'Clients can log in with it.' : 'No client can log in with it.'}
          </p>
        </div>
      </div>
      <div className="mt-2">
        <FormMessage ok={message?.ok} message={message?.text} />
      </div>
      <TokenStatusDialog
        registry={registry}
        token={{ name: token, kind: 'client', syncRegistry: null, acceptedBy }}
        target={confirming ? 'disabled' : null}
        onClose={() => setConfirming(false)}
        onChanged={() => setMessage(undefined)}
      />
    </div>
  );
}

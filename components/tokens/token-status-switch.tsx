'use client';
// A client token's enabled/disabled switch. Disabling asks first: clients stop being able to log in.
import { useId, useOptimistic, useState, useTransition } from 'react';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { ToggleSwitch } from '@/components/ui/toggle-switch';
import { updateTokenAction } from '@/lib/tokens/actions';

export function TokenStatusSwitch({
  registry,
  token,
  status,
  acceptedBy,
}: {
  registry: string;
  token: string;
  status: 'enabled' | 'disabled';
  acceptedBy: string[];
}) {
  const ids = useId();
  const [optimisticStatus, setOptimisticStatus] = useOptimistic(status);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  function apply(next: 'enabled' | 'disabled') {
    startTransition(async () => {
      setOptimisticStatus(next);
      const result = await updateTokenAction(registry, token, { status: next });
      setMessage(result.ok ? undefined : { ok: false, text: result.message ?? 'Could not change the status.' });
      if (result.ok) setConfirming(false);
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
          onCheckedChange={(checked) => (checked ? apply('enabled') : setConfirming(true))}
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
      <ConfirmActionDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disable ${token}?`}
        description={
          <p>
            No client can log in with {token} until you enable it again
            {acceptedBy.length ? (
              <>
                {' '}
                — at {acceptedBy.join(', ')} too, once the change reaches {acceptedBy.length === 1 ? 'it' : 'them'}
              </>
            ) : null}
            .
          </p>
        }
        confirmLabel={`Disable ${token}`}
        pendingLabel="Disabling…"
        pending={pending}
        error={message?.ok === false ? message.text : undefined}
        onConfirm={() => apply('disabled')}
      />
    </div>
  );
}

'use client';
// A connected registry's sync switch and credential rotation. Disabling a connected registry
// is disabling its sync token; rotating regenerates one sync-token slot and shows the
// connection string with the new password once.
import { RefreshCw } from 'lucide-react';
import { useId, useOptimistic, useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { ToggleSwitch } from '@/components/ui/toggle-switch';
import type { EdgeDeployment } from '@/lib/gateway/edge-deployment';
import { rotateSyncCredentialsAction, updateTokenAction } from '@/lib/tokens/actions';
import { endOfDayUtc } from '@/lib/tokens/format';
import { PASSWORD_SLOTS, type PasswordSlotName } from '@/lib/tokens/schemas';
import { ConnectionStringDialog, type RevealedConnectionString } from './connection-string-dialog';
import { ExpiryDateField } from './expiry-date-field';

type Protocol = 'https' | 'http';

export function RegistrySyncControls({
  registry,
  name,
  syncToken,
  disabled,
  canEdit,
  parentIsCloud,
  parentProtocol = 'https',
  deployment,
}: {
  /** the cloud registry */
  registry: string;
  /** the connected registry */
  name: string;
  syncToken: string;
  disabled: boolean;
  canEdit: boolean;
  /** when known: the parent is the cloud registry, whose data endpoint is always https */
  parentIsCloud?: boolean | null;
  /** what the parent's login-server TLS says (https when Enabled): the protocol offered first */
  parentProtocol?: Protocol;
  /** how to deploy it with Canopy Edge, shown beside a rotated connection string */
  deployment?: EdgeDeployment;
}) {
  const ids = useId();
  const [optimisticDisabled, setOptimisticDisabled] = useOptimistic(disabled);
  // the status the open confirmation would set (fixed when it opens, so its text does not flip)
  const [toggleTarget, setToggleTarget] = useState<'enabled' | 'disabled' | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [slot, setSlot] = useState<PasswordSlotName>('password1');
  const [protocol, setProtocol] = useState<Protocol>(parentProtocol);
  const [expiryDate, setExpiryDate] = useState('');
  const [dialogError, setDialogError] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  // The connection string lives only here while its dialog is open.
  const [revealed, setRevealed] = useState<RevealedConnectionString | null>(null);
  const [pending, startTransition] = useTransition();

  const enabled = !optimisticDisabled;
  const target = toggleTarget ?? (enabled ? 'disabled' : 'enabled');

  function applyToggle() {
    setDialogError(undefined);
    startTransition(async () => {
      setOptimisticDisabled(target === 'disabled');
      const result = await updateTokenAction(registry, syncToken, { status: target });
      if (result.ok) {
        setToggleTarget(null);
        setMessage({
          ok: true,
          text: target === 'disabled' ? `${name} is disabled: it cannot sync.` : `${name} is enabled: it can sync again.`,
        });
      } else {
        setDialogError(result.message);
      }
    });
  }

  function rotate() {
    setDialogError(undefined);
    startTransition(async () => {
      const requestedProtocol = parentIsCloud ? 'https' : protocol;
      const result = await rotateSyncCredentialsAction(registry, name, {
        parentProtocol: requestedProtocol,
        generatePassword: slot,
        expiry: expiryDate ? endOfDayUtc(expiryDate) : null,
      });
      if (result.ok && result.data) {
        setConfirmRotate(false);
        setMessage(undefined);
        setRevealed({
          registry: name,
          connectionString: result.data.connectionString,
          parentProtocol: result.data.parentProtocol,
          requestedProtocol,
          deployment,
        });
      } else {
        setDialogError(result.message);
      }
    });
  }

  const labelId = `${ids}-label`;
  const stateId = `${ids}-state`;

  return (
    <div className="space-y-4" data-testid="registry-sync-controls">
      <div className="flex items-start gap-3">
        {canEdit ? (
          <ToggleSwitch
            checked={enabled}
            disabled={pending}
            labelledBy={labelId}
            describedBy={stateId}
            onCheckedChange={(checked) => {
              setDialogError(undefined);
              setToggleTarget(checked ? 'enabled' : 'disabled');
            }}
          />
        ) : (
          <Badge tone={enabled ? 'green' : 'red'} className="mt-0.5">
            {enabled ? 'on' : 'off'}
          </Badge>
        )}
        <div className="text-sm">
          <p id={labelId} className="font-medium text-slate-900 dark:text-slate-100">
            {enabled ? 'Enabled' : 'Disabled'}
            <span className="sr-only"> — sync of {name}</span>
          </p>
          <p id={stateId} className="text-slate-600 dark:text-slate-400">
            {enabled
              ? `${name} syncs with its parent using sync token ${syncToken}. Disabling the token disables the registry.`
              : `${name} cannot sync: its sync token ${syncToken} is disabled.`}
          </p>
        </div>
      </div>

      {canEdit && (
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 dark:border-slate-800 pt-4">
          <Button
            variant="secondary"
            onClick={() => {
              setDialogError(undefined);
              setExpiryDate('');
              setConfirmRotate(true);
            }}
            disabled={pending}
          >
            <RefreshCw size={15} aria-hidden /> Rotate sync credentials
          </Button>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Regenerates a sync-token password and shows the connection string to deploy with, once.
          </p>
        </div>
      )}

      <FormMessage ok={message?.ok} message={message?.text} />

      <ConfirmActionDialog
        open={toggleTarget !== null}
        onOpenChange={(open) => !open && setToggleTarget(null)}
        title={target === 'disabled' ? `Disable ${name}?` : `Enable ${name}?`}
        description={
          target === 'disabled' ? (
            <>
              <p>
                This disables its sync token <strong>{syncToken}</strong>. The on-premises registry can no longer sync with its parent, and
                its clients get no new content or token changes from upstream until you enable it again.
              </p>
              <p>What it has synced already stays available to its clients.</p>
            </>
          ) : (
            <p>
              This enables its sync token <strong>{syncToken}</strong>: the on-premises registry can sync with its parent again, with the
              credentials it was deployed with.
            </p>
          )
        }
        confirmLabel={target === 'disabled' ? `Disable ${name}` : `Enable ${name}`}
        pendingLabel={target === 'disabled' ? 'Disabling…' : 'Enabling…'}
        tone={target === 'disabled' ? 'danger' : 'primary'}
        pending={pending}
        error={dialogError}
        onConfirm={applyToggle}
      />

      <ConfirmActionDialog
        open={confirmRotate}
        onOpenChange={setConfirmRotate}
        title={`Rotate sync credentials of ${name}?`}
        description={
          <p>
            A new password is generated in <strong>{slot}</strong> of sync token <strong>{syncToken}</strong>. The old password in {slot}{' '}
            stops working at once: the on-premises registry using it cannot sync until it is deployed with the new connection string.
          </p>
        }
        confirmLabel="Rotate and show connection string"
        pendingLabel="Rotating…"
        pending={pending}
        error={dialogError}
        onConfirm={rotate}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">Password slot</legend>
            {PASSWORD_SLOTS.map((s) => (
              <label key={s} className="flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-slot`} checked={slot === s} onChange={() => setSlot(s)} />
                <span className="font-mono">{s}</span>
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">Parent endpoint protocol</legend>
            {(['https', 'http'] as const).map((p) => (
              <label key={p} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${ids}-protocol`}
                  checked={(parentIsCloud ? 'https' : protocol) === p}
                  disabled={Boolean(parentIsCloud) && p === 'http'}
                  onChange={() => setProtocol(p)}
                />
                <span className="font-mono">{p}</span>
              </label>
            ))}
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              {parentIsCloud
                ? 'The parent is the cloud registry: always https.'
                : parentProtocol === 'http'
                  ? 'The parent’s login server has TLS disabled: http.'
                  : 'The parent’s login server has TLS enabled: https. http only suits a parent behind a proxy on a trusted network.'}
            </p>
          </fieldset>
        </div>
        <div className="mt-4">
          <ExpiryDateField id={`${ids}-expiry`} value={expiryDate} onChange={setExpiryDate} />
        </div>
      </ConfirmActionDialog>

      <ConnectionStringDialog revealed={revealed} onClose={() => setRevealed(null)} />
    </div>
  );
}

'use client';
// Rotate sync credentials: the confirm step (which slot, the parent's protocol, an expiry), then
// the connection string with the new sync-token password, shown once. The registry page's sync
// controls and the Hierarchy details panel open it.
import { useId, useState, useTransition } from 'react';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import type { EdgeDeployment } from '@/lib/gateway/edge-deployment';
import { rotateSyncCredentialsAction } from '@/lib/tokens/actions';
import { endOfDayUtc } from '@/lib/tokens/format';
import { PASSWORD_SLOTS, type PasswordSlotName } from '@/lib/tokens/schemas';
import { ConnectionStringDialog, type RevealedConnectionString } from './connection-string-dialog';
import { ExpiryDateField } from './expiry-date-field';

type Protocol = 'https' | 'http';

export function RotateSyncCredentialsDialog({
  registry,
  name,
  syncToken,
  open,
  onOpenChange,
  parentIsCloud,
  parentProtocol = 'https',
  deployment,
  onRotated,
}: {
  /** the cloud registry */
  registry: string;
  /** the connected registry */
  name: string;
  syncToken: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** when known: the parent is the cloud registry, whose data endpoint is always https */
  parentIsCloud?: boolean | null;
  /** what the parent's login-server TLS says (https when Enabled): the protocol offered first */
  parentProtocol?: Protocol;
  /** how to deploy it with Canopy Edge, shown beside the connection string */
  deployment?: EdgeDeployment;
  onRotated?: () => void;
}) {
  const ids = useId();
  const [slot, setSlot] = useState<PasswordSlotName>('password1');
  // the admin's choice; until then what the parent's TLS says (which may arrive after the first render)
  const [chosenProtocol, setProtocol] = useState<Protocol | null>(null);
  const protocol = chosenProtocol ?? parentProtocol;
  const [expiryDate, setExpiryDate] = useState('');
  const [error, setError] = useState<string>();
  // The connection string lives only here while its dialog is open.
  const [revealed, setRevealed] = useState<RevealedConnectionString | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setError(undefined);
    setExpiryDate('');
    onOpenChange(false);
  }

  function rotate() {
    setError(undefined);
    startTransition(async () => {
      const requestedProtocol = parentIsCloud ? 'https' : protocol;
      const result = await rotateSyncCredentialsAction(registry, name, {
        parentProtocol: requestedProtocol,
        generatePassword: slot,
        expiry: expiryDate ? endOfDayUtc(expiryDate) : null,
      });
      if (result.ok && result.data) {
        close();
        onRotated?.();
        setRevealed({
          registry: name,
          connectionString: result.data.connectionString,
          parentProtocol: result.data.parentProtocol,
          requestedProtocol,
          deployment,
        });
      } else {
        setError(result.message);
      }
    });
  }

  return (
    <>
      <ConfirmActionDialog
        open={open}
        onOpenChange={(next) => (next ? onOpenChange(true) : close())}
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
        error={error}
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
    </>
  );
}

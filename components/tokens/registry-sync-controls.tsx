'use client';
// A connected registry's sync switch and credential rotation. Disabling a connected registry
// is disabling its sync token; rotating regenerates one sync-token slot and shows the
// connection string with the new password once.
import { RefreshCw } from 'lucide-react';
import { useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { ToggleSwitch } from '@/components/ui/toggle-switch';
import type { EdgeDeployment } from '@/lib/gateway/edge-deployment';
import { RotateSyncCredentialsDialog } from './rotate-sync-credentials-dialog';
import type { TokenStatus } from '@/lib/tokens/schemas';
import { TokenStatusDialog } from './token-status-dialog';

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
  // the status the open confirmation would set (fixed when it opens, so its text does not flip)
  const [toggleTarget, setToggleTarget] = useState<TokenStatus | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();

  const enabled = !disabled;
  const labelId = `${ids}-label`;
  const stateId = `${ids}-state`;

  return (
    <div className="space-y-4" data-testid="registry-sync-controls">
      <div className="flex items-start gap-3">
        {canEdit ? (
          <ToggleSwitch
            checked={enabled}
            labelledBy={labelId}
            describedBy={stateId}
            onCheckedChange={(checked) => setToggleTarget(checked ? 'enabled' : 'disabled')}
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
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
          <Button variant="secondary" onClick={() => setConfirmRotate(true)}>
            <RefreshCw size={15} aria-hidden /> Rotate sync credentials
          </Button>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Regenerates a sync-token password and shows the connection string to deploy with, once.
          </p>
        </div>
      )}

      <FormMessage ok={message?.ok} message={message?.text} />

      <TokenStatusDialog
        registry={registry}
        token={{ name: syncToken, kind: 'sync', syncRegistry: name }}
        target={toggleTarget}
        onClose={() => setToggleTarget(null)}
        onChanged={(_, text) => setMessage({ ok: true, text })}
      />

      <RotateSyncCredentialsDialog
        registry={registry}
        name={name}
        syncToken={syncToken}
        open={confirmRotate}
        onOpenChange={setConfirmRotate}
        parentIsCloud={parentIsCloud}
        parentProtocol={parentProtocol}
        deployment={deployment}
        onRotated={() => setMessage(undefined)}
      />
    </div>
  );
}

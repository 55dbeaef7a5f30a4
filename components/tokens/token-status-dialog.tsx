'use client';
// Asks before a token's status changes, then changes it. Disabling a sync token disables its
// connected registry (it can no longer sync); disabling a client token stops its clients
// logging in. The token page's switch, a connected registry's sync switch, the Hierarchy
// details panel and the tokens list all go through here.
import { useState, useTransition } from 'react';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { updateTokenAction } from '@/lib/tokens/actions';
import type { TokenStatus } from '@/lib/tokens/schemas';

export type TokenForStatus = {
  name: string;
  kind: 'client' | 'sync';
  /** a sync token's connected registry */
  syncRegistry: string | null;
  /** a client token's connected registries */
  acceptedBy?: string[];
};

/** What the change did, in words, for the caller's message line. */
export function statusChangedText(token: TokenForStatus, status: TokenStatus): string {
  if (token.kind === 'sync' && token.syncRegistry) {
    return status === 'disabled'
      ? `${token.syncRegistry} is disabled: it cannot sync.`
      : `${token.syncRegistry} is enabled: it can sync again.`;
  }
  return status === 'disabled' ? `${token.name} is disabled: no client can log in with it.` : `${token.name} is enabled.`;
}

export function TokenStatusDialog({
  registry,
  token,
  target,
  onClose,
  onChanged,
}: {
  /** the cloud registry */
  registry: string;
  token: TokenForStatus;
  /** the status to set; null while closed */
  target: TokenStatus | null;
  onClose: () => void;
  onChanged?: (status: TokenStatus, text: string) => void;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const disabling = (target ?? 'disabled') === 'disabled';
  const registryName = token.kind === 'sync' ? token.syncRegistry : null;
  const acceptedBy = token.acceptedBy ?? [];

  function confirm() {
    if (!target) return;
    setError(undefined);
    startTransition(async () => {
      const result = await updateTokenAction(registry, token.name, { status: target });
      if (result.ok) {
        onChanged?.(target, statusChangedText(token, target));
        onClose();
      } else {
        setError(result.message ?? 'Could not change the status.');
      }
    });
  }

  const subject = registryName ?? token.name;
  return (
    <ConfirmActionDialog
      open={target !== null}
      onOpenChange={(open) => {
        if (open) return;
        setError(undefined);
        onClose();
      }}
      title={disabling ? `Disable ${subject}?` : `Enable ${subject}?`}
      description={
        registryName ? (
          disabling ? (
            <>
              <p>
                This disables its sync token <strong>{token.name}</strong>. The on-premises registry can no longer sync with its parent, and
                its clients get no new content or token changes from upstream until you enable it again.
              </p>
              <p>What it has synced already stays available to its clients.</p>
            </>
          ) : (
            <p>
              This enables its sync token <strong>{token.name}</strong>: the on-premises registry can sync with its parent again, with the
              credentials it was deployed with.
            </p>
          )
        ) : (
          <p>
            {disabling
              ? `No client can log in with ${token.name} until you enable it again`
              : `Clients can log in with ${token.name} again`}
            {acceptedBy.length ? (
              <>
                {' '}
                — at {acceptedBy.join(', ')} too, once the change reaches {acceptedBy.length === 1 ? 'it' : 'them'}
              </>
            ) : null}
            .
          </p>
        )
      }
      confirmLabel={disabling ? `Disable ${subject}` : `Enable ${subject}`}
      pendingLabel={disabling ? 'Disabling…' : 'Enabling…'}
      tone={disabling ? 'danger' : 'primary'}
      pending={pending}
      error={error}
      onConfirm={confirm}
    />
  );
}

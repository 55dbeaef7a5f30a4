'use client';
// A token's two password slots, with one-click rotation: Regenerate (plus a confirm) writes a
// new password into one slot, the other keeps working; the new value is shown once
// (RegeneratePasswordsDialog). Delete empties a slot.
import { KeyRound, RefreshCw, Trash2 } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { Table, Td, Th } from '@/components/ui/table';
import { formatTime, relativeTime } from '@/lib/tokens/format';
import { deletePasswordAction } from '@/lib/tokens/actions';
import { PASSWORD_SLOTS, type PasswordSlotDto, type PasswordSlotName as Slot } from '@/lib/tokens/schemas';
import type { LoginEndpoint } from '@/lib/tokens/views';
import { RegeneratePasswordsDialog, otherSlot, type SlotChoice } from './regenerate-passwords-dialog';

function StateBadge({ slot }: { slot: PasswordSlotDto | undefined }) {
  if (!slot) return <Badge>no password</Badge>;
  if (slot.state === 'expired') return <Badge tone="red">expired</Badge>;
  if (slot.state === 'expiring') return <Badge tone="amber">expiring</Badge>;
  return <Badge tone="green">valid</Badge>;
}

export function PasswordSlotsTable({
  registry,
  token,
  passwords,
  endpoints,
  canEdit,
  now,
}: {
  registry: string;
  token: { name: string; kind: 'client' | 'sync'; syncRegistry: string | null };
  passwords: PasswordSlotDto[];
  endpoints: LoginEndpoint[];
  canEdit: boolean;
  now: number;
}) {
  // one slot, or both at once (a fresh start: every client needs the new passwords)
  const [regenerating, setRegenerating] = useState<SlotChoice | null>(null);
  const [deleting, setDeleting] = useState<Slot | null>(null);
  const [dialogError, setDialogError] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  const bySlot = (slot: Slot) => passwords.find((p) => p.name === slot);

  function openRegenerate(slot: SlotChoice) {
    setMessage(undefined);
    setRegenerating(slot);
  }

  function deleteSlot() {
    if (!deleting) return;
    const slot = deleting;
    setDialogError(undefined);
    startTransition(async () => {
      const result = await deletePasswordAction(registry, token.name, slot);
      if (result.ok) {
        setDeleting(null);
        setMessage({ ok: true, text: result.message ?? '' });
      } else {
        setDialogError(result.message);
      }
    });
  }

  return (
    <div className="space-y-3">
      <Table caption={`Password slots of ${token.name}`}>
        <thead>
          <tr>
            <Th className="whitespace-nowrap">Slot</Th>
            <Th className="whitespace-nowrap">Created</Th>
            <Th className="whitespace-nowrap">Expires</Th>
            <Th className="whitespace-nowrap">Last used</Th>
            <Th>State</Th>
            {canEdit && (
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {PASSWORD_SLOTS.map((slot) => {
            const p = bySlot(slot);
            return (
              <tr key={slot} data-testid={`password-slot-${slot}`}>
                <Td className="font-mono font-medium">{slot}</Td>
                <Td className="whitespace-nowrap tabular-nums">
                  {p ? <time dateTime={p.creationTime}>{formatTime(p.creationTime)}</time> : '—'}
                </Td>
                <Td className="whitespace-nowrap tabular-nums">
                  {p?.expiry ? (
                    <>
                      <time dateTime={p.expiry}>{formatTime(p.expiry)}</time>
                      <span
                        className={
                          p.state === 'valid'
                            ? 'block text-xs text-slate-500 dark:text-slate-400'
                            : p.state === 'expired'
                              ? 'block text-xs text-red-700 dark:text-red-400'
                              : 'block text-xs text-amber-700 dark:text-amber-300'
                        }
                      >
                        {relativeTime(p.expiry, now)}
                      </span>
                    </>
                  ) : p ? (
                    <span className="text-slate-500 dark:text-slate-400">never</span>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td className="whitespace-nowrap tabular-nums">
                  {p?.lastUsedAt ? (
                    <time dateTime={p.lastUsedAt}>{formatTime(p.lastUsedAt)}</time>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">{p ? 'never' : '—'}</span>
                  )}
                </Td>
                <Td>
                  <StateBadge slot={p} />
                </Td>
                {canEdit && (
                  <Td className="whitespace-nowrap text-right">
                    <div className="flex justify-end gap-1.5">
                      <Button
                        variant="secondary"
                        size="sm"
                        disabled={pending}
                        onClick={() => openRegenerate(slot)}
                        aria-label={`${p ? 'Regenerate' : 'Generate'} ${slot}`}
                      >
                        {p ? <RefreshCw size={14} aria-hidden /> : <KeyRound size={14} aria-hidden />}
                        {p ? 'Regenerate' : 'Generate'}
                      </Button>
                      {p && (
                        <Button
                          variant="ghost"
                          size="sm"
                          disabled={pending}
                          onClick={() => {
                            setDialogError(undefined);
                            setDeleting(slot);
                          }}
                          aria-label={`Delete ${slot}`}
                        >
                          <Trash2 size={14} aria-hidden />
                        </Button>
                      )}
                    </div>
                  </Td>
                )}
              </tr>
            );
          })}
        </tbody>
      </Table>
      <FormMessage ok={message?.ok} message={message?.text} />
      {canEdit && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Rotate without downtime: regenerate the slot your clients do not use, switch them to the new password, then delete the old slot.
          </p>
          <Button variant="secondary" size="sm" disabled={pending} onClick={() => openRegenerate('both')}>
            <RefreshCw size={14} aria-hidden /> {passwords.length ? 'Regenerate both' : 'Generate both'}
          </Button>
        </div>
      )}

      <RegeneratePasswordsDialog
        registry={registry}
        token={token}
        passwords={passwords}
        slot={regenerating}
        onClose={() => setRegenerating(null)}
        endpoints={endpoints}
        now={now}
      />

      <ConfirmActionDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete ${deleting ?? ''} of ${token.name}?`}
        description={
          deleting && (
            <p>
              The password in {deleting} stops working at once.{' '}
              {bySlot(otherSlot(deleting))
                ? `${otherSlot(deleting)} keeps working.`
                : `${token.name} then has no password: nothing can log in with it until you generate one.`}
            </p>
          )
        }
        confirmLabel={`Delete ${deleting ?? ''}`}
        pendingLabel="Deleting…"
        pending={pending}
        error={dialogError}
        onConfirm={deleteSlot}
      />
    </div>
  );
}

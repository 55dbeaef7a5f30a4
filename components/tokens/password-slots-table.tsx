'use client';
// A token's two password slots, with one-click rotation: Regenerate (plus a confirm) writes a
// new password into one slot, the other keeps working. The new value comes back from the
// server action into this component's state alone, is shown once, and is dropped on close.
import { KeyRound, RefreshCw, Trash2 } from 'lucide-react';
import { useId, useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { Table, Td, Th } from '@/components/ui/table';
import { endOfDayUtc, formatTime, relativeTime } from '@/lib/tokens/format';
import { deletePasswordAction, regeneratePasswordsAction } from '@/lib/tokens/actions';
import { PASSWORD_SLOTS, type PasswordSlotDto, type PasswordSlotName as Slot } from '@/lib/tokens/schemas';
import type { LoginEndpoint } from '@/lib/tokens/views';
import { ExpiryDateField } from './expiry-date-field';
import { PasswordRevealDialog, type RevealedPasswords } from './password-reveal-dialog';

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
  const ids = useId();
  // one slot, or both at once (a fresh start: every client needs the new passwords)
  const [regenerating, setRegenerating] = useState<Slot | 'both' | null>(null);
  const [deleting, setDeleting] = useState<Slot | null>(null);
  const [expiryDate, setExpiryDate] = useState('');
  const [dialogError, setDialogError] = useState<string>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  // The new password: only here, only while the reveal dialog is open.
  const [revealed, setRevealed] = useState<RevealedPasswords | null>(null);
  const [pending, startTransition] = useTransition();

  const bySlot = (slot: Slot) => passwords.find((p) => p.name === slot);
  const other = (slot: Slot): Slot => (slot === 'password1' ? 'password2' : 'password1');
  const today = new Date(now).toISOString().slice(0, 10);

  function openRegenerate(slot: Slot | 'both') {
    setExpiryDate('');
    setDialogError(undefined);
    setRegenerating(slot);
  }

  function regenerate() {
    if (!regenerating) return;
    const slot = regenerating;
    setDialogError(undefined);
    startTransition(async () => {
      const slots: Slot[] = slot === 'both' ? [...PASSWORD_SLOTS] : [slot];
      const result = await regeneratePasswordsAction(registry, token.name, slots, expiryDate ? endOfDayUtc(expiryDate) : null);
      if (result.ok && result.data) {
        setRegenerating(null);
        setMessage(undefined);
        setRevealed({ token: token.name, passwords: result.data });
      } else {
        setDialogError(result.fieldErrors?.expiry?.[0] ?? result.message);
      }
    });
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

  const regeneratingExisting = regenerating === 'both' ? passwords.length > 0 : regenerating ? bySlot(regenerating) : undefined;
  const otherOfRegenerating = regenerating && regenerating !== 'both' ? bySlot(other(regenerating)) : undefined;

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

      <ConfirmActionDialog
        open={regenerating !== null}
        onOpenChange={(open) => !open && setRegenerating(null)}
        title={`${regeneratingExisting ? 'Regenerate' : 'Generate'} ${regenerating === 'both' ? 'both passwords' : (regenerating ?? '')} of ${token.name}?`}
        description={
          regenerating === 'both' ? (
            <p>
              {regeneratingExisting && <strong>Every password of {token.name} stops working at once. </strong>}
              New passwords are generated in password1 and password2, in one step, and shown once.
            </p>
          ) : (
            regenerating && (
              <>
                {regeneratingExisting ? (
                  <p>
                    <strong>The old password in {regenerating} stops working at once.</strong>{' '}
                    {token.kind === 'sync'
                      ? `If connected registry ${token.syncRegistry} syncs with it, it cannot sync until it is deployed with the new one.`
                      : 'Clients still using it can no longer log in.'}
                  </p>
                ) : (
                  <p>A new password is generated in {regenerating}.</p>
                )}
                <p>
                  {otherOfRegenerating
                    ? `${other(regenerating)} is not touched and keeps working.`
                    : `${other(regenerating)} has no password.`}{' '}
                  The new password is shown once.
                </p>
              </>
            )
          )
        }
        confirmLabel={
          regenerating === 'both'
            ? regeneratingExisting
              ? 'Regenerate both'
              : 'Generate both'
            : regeneratingExisting
              ? `Regenerate ${regenerating}`
              : `Generate ${regenerating ?? ''}`
        }
        pendingLabel="Generating…"
        tone={regeneratingExisting ? 'danger' : 'primary'}
        pending={pending}
        error={dialogError}
        onConfirm={regenerate}
      >
        <ExpiryDateField id={`${ids}-expiry`} min={today} value={expiryDate} onChange={setExpiryDate} />
      </ConfirmActionDialog>

      <ConfirmActionDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete ${deleting ?? ''} of ${token.name}?`}
        description={
          deleting && (
            <p>
              The password in {deleting} stops working at once.{' '}
              {bySlot(other(deleting))
                ? `${other(deleting)} keeps working.`
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

      <PasswordRevealDialog revealed={revealed} endpoints={endpoints} kind={token.kind} onClose={() => setRevealed(null)} />
    </div>
  );
}

'use client';
// Regenerate a token's password: the confirm step (what stops working, an optional expiry), then
// the new password, shown once. The token page's slot table opens it for one slot; the tokens
// list opens it with a choice of slot. The new value comes back from the server action into
// this component's state alone and is dropped when its dialog closes.
import { useId, useState, useTransition } from 'react';
import { ConfirmActionDialog } from '@/components/ui/confirm-action-dialog';
import { regeneratePasswordsAction } from '@/lib/tokens/actions';
import { endOfDayUtc } from '@/lib/tokens/format';
import { PASSWORD_SLOTS, type PasswordSlotDto, type PasswordSlotName } from '@/lib/tokens/schemas';
import type { LoginEndpoint } from '@/lib/tokens/views';
import { ExpiryDateField } from './expiry-date-field';
import { PasswordRevealDialog, type RevealedPasswords } from './password-reveal-dialog';

type Slot = PasswordSlotName;
export type SlotChoice = Slot | 'both';
export const otherSlot = (slot: Slot): Slot => (slot === 'password1' ? 'password2' : 'password1');

/**
 * The slot to rotate when the admin has not said: an empty one, else the older password (the
 * one clients are least likely to have just been switched to).
 */
export function slotToRotate(passwords: Pick<PasswordSlotDto, 'name' | 'creationTime'>[]): Slot {
  const empty = PASSWORD_SLOTS.find((s) => !passwords.some((p) => p.name === s));
  if (empty) return empty;
  const [a, b] = PASSWORD_SLOTS.map((s) => passwords.find((p) => p.name === s)!);
  return a.creationTime <= b.creationTime ? 'password1' : 'password2';
}

export function RegeneratePasswordsDialog({
  registry,
  token,
  passwords,
  slot,
  onSlotChange,
  onClose,
  endpoints,
  now,
}: {
  /** the cloud registry */
  registry: string;
  token: { name: string; kind: 'client' | 'sync'; syncRegistry: string | null };
  passwords: Pick<PasswordSlotDto, 'name' | 'creationTime'>[];
  /** the slot (or both) to regenerate; null while closed */
  slot: SlotChoice | null;
  /** given: the dialog offers the choice of slot */
  onSlotChange?: (slot: SlotChoice) => void;
  onClose: () => void;
  /** where the token logs in, for the reveal's docker login lines; unknown on the tokens list */
  endpoints?: LoginEndpoint[];
  now: number;
}) {
  const ids = useId();
  const [expiryDate, setExpiryDate] = useState('');
  const [error, setError] = useState<string>();
  // The new password: only here, only while the reveal dialog is open.
  const [revealed, setRevealed] = useState<RevealedPasswords | null>(null);
  const [pending, startTransition] = useTransition();

  const bySlot = (s: Slot) => passwords.find((p) => p.name === s);
  const today = new Date(now).toISOString().slice(0, 10);
  const existing = slot === 'both' ? passwords.length > 0 : slot ? Boolean(bySlot(slot)) : false;
  const otherOfSlot = slot && slot !== 'both' ? bySlot(otherSlot(slot)) : undefined;

  function close() {
    setError(undefined);
    setExpiryDate('');
    onClose();
  }

  function regenerate() {
    if (!slot) return;
    setError(undefined);
    startTransition(async () => {
      const slots: Slot[] = slot === 'both' ? [...PASSWORD_SLOTS] : [slot];
      const result = await regeneratePasswordsAction(registry, token.name, slots, expiryDate ? endOfDayUtc(expiryDate) : null);
      if (result.ok && result.data) {
        close();
        setRevealed({ token: token.name, passwords: result.data });
      } else {
        setError(result.fieldErrors?.expiry?.[0] ?? result.message);
      }
    });
  }

  return (
    <>
      <ConfirmActionDialog
        open={slot !== null}
        onOpenChange={(open) => !open && close()}
        title={`${existing ? 'Regenerate' : 'Generate'} ${slot === 'both' ? 'both passwords' : (slot ?? '')} of ${token.name}?`}
        description={
          slot === 'both' ? (
            <p>
              {existing && <strong>Every password of {token.name} stops working at once. </strong>}
              New passwords are generated in password1 and password2, in one step, and shown once.
            </p>
          ) : (
            slot && (
              <>
                {existing ? (
                  <p>
                    <strong>The old password in {slot} stops working at once.</strong>{' '}
                    {token.kind === 'sync'
                      ? `If connected registry ${token.syncRegistry} syncs with it, it cannot sync until it is deployed with the new one.`
                      : 'Clients still using it can no longer log in.'}
                  </p>
                ) : (
                  <p>A new password is generated in {slot}.</p>
                )}
                <p>
                  {otherOfSlot ? `${otherSlot(slot)} is not touched and keeps working.` : `${otherSlot(slot)} has no password.`} The new
                  password is shown once.
                </p>
              </>
            )
          )
        }
        confirmLabel={
          slot === 'both' ? (existing ? 'Regenerate both' : 'Generate both') : existing ? `Regenerate ${slot}` : `Generate ${slot ?? ''}`
        }
        pendingLabel="Generating…"
        tone={existing ? 'danger' : 'primary'}
        pending={pending}
        error={error}
        onConfirm={regenerate}
      >
        {onSlotChange && (
          <fieldset className="mb-4">
            <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">Password slot</legend>
            {([...PASSWORD_SLOTS, 'both'] as const).map((s) => (
              <label key={s} className="flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-slot`} checked={slot === s} onChange={() => onSlotChange(s)} />
                <span className={s === 'both' ? undefined : 'font-mono'}>{s === 'both' ? 'both slots' : s}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {s === 'both' ? '' : bySlot(s) ? `has a password since ${bySlot(s)!.creationTime.slice(0, 10)}` : 'empty'}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <ExpiryDateField id={`${ids}-expiry`} min={today} value={expiryDate} onChange={setExpiryDate} />
      </ConfirmActionDialog>

      <PasswordRevealDialog revealed={revealed} endpoints={endpoints} kind={token.kind} onClose={() => setRevealed(null)} />
    </>
  );
}

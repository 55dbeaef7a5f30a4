'use client';
// A tokens-list row's quick actions: Regenerate (a slot, with its confirm step, then the new
// password once) and Disable/Enable (with its confirm step; a sync token's disables its
// connected registry). The row's badges follow from the page's refreshed data.
import { Power, PowerOff, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { TokenDto } from '@/lib/tokens/schemas';
import { RegeneratePasswordsDialog, slotToRotate, type SlotChoice } from './regenerate-passwords-dialog';
import type { TokenStatus } from '@/lib/tokens/schemas';
import { TokenStatusDialog } from './token-status-dialog';

export function TokenRowActions({
  registry,
  token,
  now,
}: {
  registry: string;
  token: Pick<TokenDto, 'name' | 'kind' | 'status' | 'syncRegistry' | 'acceptedBy' | 'passwords'>;
  now: number;
}) {
  const [slot, setSlot] = useState<SlotChoice | null>(null);
  const [statusTarget, setStatusTarget] = useState<TokenStatus | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const disabled = token.status === 'disabled';
  return (
    <div className="flex flex-wrap justify-end gap-1.5">
      <Button
        variant="secondary"
        size="sm"
        onClick={() => setSlot(slotToRotate(token.passwords))}
        aria-label={`Regenerate a password of ${token.name}`}
      >
        <RefreshCw size={14} aria-hidden /> Regenerate
      </Button>
      <Button
        variant="secondary"
        size="sm"
        onClick={() => setStatusTarget(disabled ? 'enabled' : 'disabled')}
        aria-label={`${disabled ? 'Enable' : 'Disable'} ${token.name}`}
      >
        {disabled ? <Power size={14} aria-hidden /> : <PowerOff size={14} aria-hidden />} {disabled ? 'Enable' : 'Disable'}
      </Button>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <RegeneratePasswordsDialog
        registry={registry}
        token={token}
        passwords={token.passwords}
        slot={slot}
        onSlotChange={setSlot}
        onClose={() => setSlot(null)}
        now={now}
      />
      <TokenStatusDialog
        registry={registry}
        token={token}
        target={statusTarget}
        onClose={() => setStatusTarget(null)}
        onChanged={(_, text) => setAnnouncement(text)}
      />
    </div>
  );
}

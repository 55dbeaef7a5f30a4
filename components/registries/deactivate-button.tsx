'use client';
import { useQueryClient } from '@tanstack/react-query';
import { PowerOff } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/form-message';
import { deactivateConnectedRegistryAction } from '@/lib/registries/actions';
import { registryKeys } from '@/lib/registries/client-queries';
import type { ActivationStatus } from '@/lib/registries/rules';

/** Resets activation to Inactive, after a confirmation, so the registry can be deployed again. */
export function DeactivateButton({
  registry,
  name,
  activationStatus,
  onDone,
  size = 'md',
}: {
  registry: string;
  name: string;
  activationStatus: ActivationStatus;
  onDone?: (message: string) => void;
  size?: 'sm' | 'md';
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await deactivateConnectedRegistryAction(registry, name);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: registryKeys.hierarchy(registry) }),
        queryClient.invalidateQueries({ queryKey: registryKeys.connected(registry, name) }),
      ]);
      setOpen(false);
      onDone?.(result.message ?? `Deactivated ${name}.`);
    });
  }

  return (
    <>
      <Button
        variant="secondary"
        size={size}
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
        title={activationStatus === 'Inactive' ? `${name} is inactive already` : undefined}
      >
        <PowerOff size={14} aria-hidden /> Deactivate
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Deactivate ${name}?`}
        description={
          activationStatus === 'Active'
            ? 'Its activation goes back to Inactive, so that the registry can be deployed again (for example on new hardware).'
            : `${name} is inactive already; deactivating again changes nothing but is harmless.`
        }
      >
        <div className="space-y-3">
          <FormMessage message={error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={confirm} disabled={pending}>
              {pending ? 'Deactivating…' : 'Deactivate'}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}

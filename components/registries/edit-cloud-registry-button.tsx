'use client';
import { Pencil, Save } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/actions';
import { updateCloudRegistryAction } from '@/lib/registries/actions';
import { CloudRegistryEndpointFields, type CloudEndpointValues } from './cloud-registry-fields';
import { useFieldFeedback, useFieldValues } from './use-field-feedback';

/** Changes a cloud registry's login server, region and data endpoint, in a dialog. */
export function EditCloudRegistryButton({ name, initial }: { name: string; initial: CloudEndpointValues }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Edit ${name}`}>
        <Pencil size={14} aria-hidden /> Edit
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Edit ${name}`}
        description="Connection strings and endpoints shown from now on use the new values; deployed registries keep what they were deployed with."
      >
        {open && <EditCloudRegistryForm name={name} initial={initial} onSaved={() => setOpen(false)} />}
      </Dialog>
    </>
  );
}

function EditCloudRegistryForm({ name, initial, onSaved }: { name: string; initial: CloudEndpointValues; onSaved: () => void }) {
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();
  const feedback = useFieldFeedback(state);
  const { values, set, leave } = useFieldValues(initial, feedback);
  const dirty = (Object.keys(initial) as (keyof CloudEndpointValues)[]).some((k) => initial[k] !== values[k]);

  return (
    <form
      aria-label={`Edit ${name}`}
      noValidate
      className="grid grid-cols-1 gap-4 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await updateCloudRegistryAction(name, values);
          setState(result);
          if (result.ok) onSaved();
        });
      }}
    >
      <CloudRegistryEndpointFields values={values} set={set} leave={leave} feedback={feedback} />
      <div className="sm:col-span-2">
        <FormMessage ok={state.ok} message={state.ok ? undefined : state.message} />
      </div>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending || !dirty}>
          <Save size={15} aria-hidden /> {pending ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}

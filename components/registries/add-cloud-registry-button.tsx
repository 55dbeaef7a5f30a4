'use client';
import { Plus } from 'lucide-react';
import { useCallback, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { CloudRegistryForm } from './cloud-registry-form';

export function AddCloudRegistryButton() {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <Plus size={15} aria-hidden /> Add cloud registry
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Add a cloud registry"
        description="The root of a new hierarchy. Its tokens and scope maps belong to it; the system scope maps are created with it."
      >
        {open && <CloudRegistryForm onCreated={close} />}
      </Dialog>
    </>
  );
}

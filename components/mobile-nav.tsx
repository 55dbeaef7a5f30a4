'use client';
// Below the lg breakpoint the sidebar is hidden: a "Menu" button opens the same navigation in a
// drawer (a Radix dialog: focus is trapped inside, Escape and the backdrop close it).
import * as RadixDialog from '@radix-ui/react-dialog';
import { Menu, Trees, X } from 'lucide-react';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { PortalNav } from './portal-nav';

export function MobileNav({ footer }: { footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  // a link followed from the drawer closes it
  const pathname = usePathname();
  const [openedAt, setOpenedAt] = useState(pathname);
  if (open && openedAt !== pathname) {
    setOpen(false);
    setOpenedAt(pathname);
  }
  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setOpenedAt(pathname);
      }}
    >
      <RadixDialog.Trigger className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm font-medium text-slate-800 dark:text-slate-200 hover:bg-slate-100 dark:hover:bg-slate-800">
        <Menu size={16} aria-hidden /> Menu
      </RadixDialog.Trigger>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixDialog.Content className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto bg-white dark:bg-slate-900 px-3 py-4 shadow-xl focus:outline-none">
          <div className="mb-6 flex items-center gap-2 px-3">
            <Trees className="text-brand-700 dark:text-brand-400" size={22} aria-hidden />
            <RadixDialog.Title className="text-lg font-semibold tracking-tight">Canopy</RadixDialog.Title>
            <RadixDialog.Description className="sr-only">The portal’s pages</RadixDialog.Description>
            <RadixDialog.Close
              className="ml-auto rounded p-1 text-slate-600 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
              aria-label="Close the menu"
            >
              <X size={18} />
            </RadixDialog.Close>
          </div>
          <PortalNav />
          <div className="mt-auto border-t border-slate-200 dark:border-slate-800 px-3 pt-3 text-sm">{footer}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

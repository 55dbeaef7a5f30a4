'use client';
// The frame of every one-time reveal: it closes only through its own buttons or Escape (a
// stray click outside must not throw away a secret the user has not copied yet), it says the
// secret will not be shown again, and when nothing was copied from it, closing asks first.
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import * as RadixDialog from '@radix-ui/react-dialog';
import { TriangleAlert, X } from 'lucide-react';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';

/** The secrets inside a one-time dialog (SecretValue) report a copy here. */
const SecretCopied = createContext<(() => void) | null>(null);

/** Call the answer when the user copied the secret; null outside a one-time dialog. */
export const useReportSecretCopied = () => useContext(SecretCopied);

export function OneTimeDialog({
  open,
  onClose,
  title,
  warning,
  secretName = 'it',
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  warning: ReactNode;
  /** what the "Close without copying?" step calls the secret, e.g. "this password" */
  secretName?: string;
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const [asking, setAsking] = useState(false);

  function close() {
    setCopied(false);
    setAsking(false);
    onClose();
  }
  const requestClose = () => (copied ? close() : setAsking(true));

  return (
    <RadixDialog.Root open={open} onOpenChange={(next) => !next && requestClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/50" />
        <RadixDialog.Content
          onPointerDownOutside={(e) => e.preventDefault()}
          onInteractOutside={(e) => e.preventDefault()}
          data-testid="one-time-dialog"
          className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(94vw,42rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white dark:bg-slate-900 p-6 shadow-xl focus:outline-none"
        >
          <RadixDialog.Title className="pr-8 text-lg font-semibold text-slate-900 dark:text-slate-100">{title}</RadixDialog.Title>
          <RadixDialog.Description asChild>
            <div
              className="mt-3 flex gap-2 rounded-md border border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-sm text-amber-900 dark:text-amber-200"
              role="note"
            >
              <TriangleAlert size={17} className="mt-0.5 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
              <div>{warning}</div>
            </div>
          </RadixDialog.Description>
          <SecretCopied.Provider value={() => setCopied(true)}>
            <div className="mt-4 space-y-5">{children}</div>
          </SecretCopied.Provider>
          <div className="mt-6 flex justify-end">
            <Button onClick={requestClose}>I have copied it</Button>
          </div>
          <RadixDialog.Close
            className="absolute right-3 top-3 rounded p-1 text-slate-500 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
            aria-label="Close"
          >
            <X size={18} />
          </RadixDialog.Close>

          <AlertDialog.Root open={asking} onOpenChange={setAsking}>
            <AlertDialog.Portal>
              <AlertDialog.Overlay className="fixed inset-0 z-50 bg-slate-900/30" />
              <AlertDialog.Content
                data-testid="close-without-copying"
                className="fixed left-1/2 top-1/2 z-50 w-[min(92vw,28rem)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl focus:outline-none dark:bg-slate-900"
              >
                <AlertDialog.Title className="text-base font-semibold text-slate-900 dark:text-slate-100">
                  Close without copying?
                </AlertDialog.Title>
                <AlertDialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
                  Nothing was copied from this dialog. Canopy shows {secretName} only this once: after closing, it cannot be shown again,
                  only regenerated.
                </AlertDialog.Description>
                <div className="mt-5 flex flex-wrap justify-end gap-2">
                  <AlertDialog.Cancel asChild>
                    <Button variant="secondary">Go back</Button>
                  </AlertDialog.Cancel>
                  <AlertDialog.Action asChild>
                    <Button variant="danger" onClick={close}>
                      Close without copying
                    </Button>
                  </AlertDialog.Action>
                </div>
              </AlertDialog.Content>
            </AlertDialog.Portal>
          </AlertDialog.Root>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

'use client';
import { AlertTriangle, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormMessage } from '@/components/ui/form-message';
import { deleteConnectedRegistryAction } from '@/lib/registries/actions';

/** Deletes a connected registry after a confirmation that names everything it removes. */
export function DeleteRegistryButton({
  registry,
  name,
  syncToken,
  syncScopeMap,
  syncTokenAdopted,
  ancestorScopeMaps,
  childCount,
}: {
  registry: string;
  name: string;
  syncToken: string;
  syncScopeMap: string;
  /** an adopted sync token stays (it was the admin's): only what creation added goes */
  syncTokenAdopted: boolean;
  /** the sync scope maps of the registries above it, nearest last */
  ancestorScopeMaps: string[];
  childCount: number;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function confirm() {
    startTransition(async () => {
      const result = await deleteConnectedRegistryAction(registry, name);
      if (!result.ok) setError(result.message);
      else router.push(`/hierarchy?${new URLSearchParams({ registry, deleted: name })}`);
    });
  }

  return (
    <>
      <Button
        variant="danger"
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        <Trash2 size={15} aria-hidden /> Delete
      </Button>
      {childCount > 0 ? (
        // a registry with children cannot be deleted: say what to do first, and offer no delete
        <Dialog
          open={open}
          onOpenChange={setOpen}
          title={`${name} cannot be deleted yet`}
          description={`It still has ${childCount} connected ${childCount === 1 ? 'registry' : 'registries'} under it.`}
        >
          <div className="space-y-4 text-sm wrap-anywhere text-slate-700 dark:text-slate-300">
            <p className="flex gap-2 rounded-md bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-amber-900 dark:text-amber-200">
              <AlertTriangle size={16} aria-hidden className="mt-0.5 shrink-0" />
              <span>
                Delete the {childCount === 1 ? 'registry' : 'registries'} under {name} first, starting from the bottom of its branch (each
                one’s own children before it). Then {name} can be deleted here.
              </span>
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                <Link
                  href={`/connected-registries?${new URLSearchParams({ registry, parent: name, children: 'direct' })}`}
                  className="font-medium text-brand-700 dark:text-brand-400 underline underline-offset-2"
                >
                  List the registries directly under {name}
                </Link>
              </li>
              <li>
                <Link
                  href={`/hierarchy?${new URLSearchParams({ registry, node: name })}`}
                  className="font-medium text-brand-700 dark:text-brand-400 underline underline-offset-2"
                >
                  See its branch in the hierarchy
                </Link>
              </li>
            </ul>
            <div className="flex justify-end">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Close
              </Button>
            </div>
          </div>
        </Dialog>
      ) : (
        <Dialog open={open} onOpenChange={setOpen} title={`Delete ${name}?`} description="This cannot be undone.">
          <div className="space-y-4 text-sm wrap-anywhere text-slate-700 dark:text-slate-300">
            {syncTokenAdopted ? (
              <div>
                <p className="font-medium text-slate-900 dark:text-slate-100">Kept:</p>
                <p className="mt-1">
                  its sync token <code className="font-mono text-xs">{syncToken}</code> and its scope map{' '}
                  <code className="font-mono text-xs">{syncScopeMap}</code>: they existed before {name} and stay yours. The map loses {name}
                  ’s gateway actions, so the token can no longer sync it.
                </p>
              </div>
            ) : (
              <div>
                <p className="font-medium text-slate-900 dark:text-slate-100">Removed with it:</p>
                <ul className="mt-1 list-disc space-y-1 pl-5">
                  <li>
                    its sync token <code className="font-mono text-xs">{syncToken}</code> — the on-premises registry can no longer sync
                  </li>
                  <li>
                    its sync scope map <code className="font-mono text-xs">{syncScopeMap}</code>
                  </li>
                </ul>
              </div>
            )}
            {ancestorScopeMaps.length > 0 && (
              <div>
                <p className="font-medium text-slate-900 dark:text-slate-100">Changed:</p>
                <p className="mt-1">
                  The sync scope {ancestorScopeMaps.length === 1 ? 'map' : 'maps'} of the{' '}
                  {ancestorScopeMaps.length === 1 ? 'registry' : 'registries'} above it (
                  {ancestorScopeMaps.map((m, i) => (
                    <span key={m}>
                      {i > 0 && ', '}
                      <code className="font-mono text-xs">{m}</code>
                    </span>
                  ))}
                  ) lose its gateway actions and the repositories only it syncs.
                </p>
              </div>
            )}
            <FormMessage message={error} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button variant="danger" onClick={confirm} disabled={pending}>
                {pending ? 'Deleting…' : `Delete ${name}`}
              </Button>
            </div>
          </div>
        </Dialog>
      )}
    </>
  );
}

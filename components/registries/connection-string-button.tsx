'use client';
// Connection string: what the on-premises registry is deployed with, without its password (any
// admin may read it; Canopy keeps only verifiers of passwords). Rotate sync credentials gives
// one with a new password, once.
import { Link2 } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { connectionStringAction } from '@/lib/tokens/actions';

export function ConnectionStringButton({
  registry,
  name,
  canRotate,
  size = 'md',
  onError,
}: {
  /** the cloud registry */
  registry: string;
  /** the connected registry */
  name: string;
  /** the admin may rotate sync credentials: the note says where */
  canRotate: boolean;
  size?: 'sm' | 'md';
  onError: (text: string) => void;
}) {
  const [connectionString, setConnectionString] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function show() {
    startTransition(async () => {
      const result = await connectionStringAction(registry, name);
      if (result.ok && result.data) setConnectionString(result.data.connectionString);
      else onError(result.message ?? 'The connection string could not be read.');
    });
  }

  return (
    <>
      <Button variant="secondary" size={size} onClick={show} disabled={pending}>
        <Link2 size={14} aria-hidden /> {pending ? 'Reading…' : 'Connection string'}
      </Button>
      <Dialog
        open={connectionString !== null}
        onOpenChange={(open) => !open && setConnectionString(null)}
        title={`Connection string of ${name}`}
        description={
          <>
            Without its password: Canopy keeps only a verifier of the sync token&apos;s passwords.{' '}
            {canRotate
              ? 'Rotate sync credentials for a connection string with a new password, shown once.'
              : 'A Contributor can rotate the sync credentials for one with a new password.'}
          </>
        }
      >
        {connectionString && (
          <div className="flex items-start gap-2">
            <code
              data-testid="connection-string"
              className="block min-w-0 flex-1 break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200"
            >
              {connectionString}
            </code>
            <CopyButton value={connectionString} />
          </div>
        )}
      </Dialog>
    </>
  );
}

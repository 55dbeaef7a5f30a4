'use client';
// Shows a connected registry's connection string (with its new sync-token password) once. The
// value lives only in the caller's state while this is open; closing it must drop it.
import { EdgeDeployInstructions } from '@/components/registries/edge-deploy-instructions';
import type { EdgeDeployment } from '@/lib/gateway/edge-deployment';
import { OneTimeDialog } from './one-time-dialog';
import { SecretValue } from './secret-value';

export type RevealedConnectionString = {
  registry: string;
  connectionString: string;
  parentProtocol: 'https' | 'http';
  requestedProtocol: 'https' | 'http';
  /** shown right after creation: the password is the registry's first, not a replacement */
  created?: boolean;
  /** set when no password was generated (an adopted sync token with both slots in use) */
  note?: string | null;
  /** how to deploy it with Canopy Edge (the file, the command, a systemd unit): none of it holds the password */
  deployment?: EdgeDeployment | null;
};

export function ConnectionStringDialog({ revealed, onClose }: { revealed: RevealedConnectionString | null; onClose: () => void }) {
  return (
    <OneTimeDialog
      open={revealed !== null}
      onClose={onClose}
      secretName={revealed?.note ? 'this connection string' : 'this connection string and its password'}
      title={
        revealed
          ? revealed.created
            ? `Created ${revealed.registry}: deploy it with this connection string`
            : `Connection string of ${revealed.registry}`
          : ''
      }
      warning={
        revealed?.note ? (
          <>{revealed.note}</>
        ) : revealed?.created ? (
          <>
            <strong>Copy it now.</strong> It holds the sync-token password generated with the registry, which Canopy shows only this once.
            Deploy the on-premises registry with it; later you can rotate it from the registry’s page.
          </>
        ) : (
          <>
            <strong>Copy it now.</strong> It holds a new sync-token password that Canopy shows only this once. Deploy the on-premises
            registry with it; the old password in that slot no longer works.
          </>
        )
      }
    >
      {revealed && (
        <>
          <SecretValue
            label={`Connection string of ${revealed.registry}`}
            value={revealed.connectionString}
            testId="revealed-connection-string"
          />
          {revealed.requestedProtocol !== revealed.parentProtocol && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              The parent is the cloud registry: its data endpoint is always reached over https, so the string says https.
            </p>
          )}
          {revealed.deployment && !revealed.note && <EdgeDeployInstructions deployment={revealed.deployment} />}
        </>
      )}
    </OneTimeDialog>
  );
}

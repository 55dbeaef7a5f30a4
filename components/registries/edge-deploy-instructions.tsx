// How to deploy a connected registry with Canopy Edge: the file to write the connection string
// into, the command that reads it, and a systemd unit — each with a copy button. Shown in the
// one-time connection-string dialog and on the registry page; none of it holds the password.
import type { ReactNode } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import type { EdgeDeployment } from '@/lib/gateway/edge-deployment';

function Snippet({ label, copyLabel, value, testId }: { label: string; copyLabel: string; value: string; testId: string }) {
  return (
    <div role="group" aria-label={label} className="flex items-start gap-2">
      <pre
        data-testid={testId}
        tabIndex={0}
        className="min-w-0 flex-1 overflow-x-auto whitespace-pre rounded-md bg-slate-900 dark:bg-slate-950 px-3 py-2 font-mono text-xs text-emerald-200"
      >
        {value}
      </pre>
      <CopyButton value={value} label={copyLabel} />
    </div>
  );
}

/** `heading` false where the surrounding card already says it; `children` go before the steps. */
export function EdgeDeployInstructions({
  deployment,
  heading = true,
  children,
}: {
  deployment: EdgeDeployment;
  heading?: boolean;
  children?: ReactNode;
}) {
  const d = deployment;
  return (
    <section
      aria-label="Deploy with Canopy Edge"
      data-testid="edge-deploy-instructions"
      className="space-y-3 text-sm text-slate-700 dark:text-slate-300"
    >
      {heading && <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">Deploy it with Canopy Edge</h3>}
      {children}
      <ol className="list-decimal space-y-3 pl-5">
        <li>
          Build the edge once with <code className="font-mono text-xs">npm run build:edge</code> and copy{' '}
          <code className="font-mono text-xs">dist/canopy-edge.mjs</code> to <code className="font-mono text-xs">{d.program}</code> on the
          site. It needs only <code className="font-mono text-xs">node</code> ≥ 20 and the registry (
          <code className="font-mono text-xs">apt-get install docker-registry</code>).
        </li>
        <li className="space-y-1.5">
          <p>
            Write the connection string to a file only its owner can read (as root). Paste it there: never put it on a command line or in a
            unit file.
          </p>
          <Snippet
            label="Write the connection-string file"
            copyLabel="Copy commands"
            value={d.writeConnectionString}
            testId="edge-deploy-write-file"
          />
        </li>
        {d.tls === 'Enabled' && (
          <li>
            Its login server has TLS enabled: put the login server&apos;s certificate and key beside it, as{' '}
            <code className="font-mono text-xs">tls.crt</code> and <code className="font-mono text-xs">tls.key</code>.
          </li>
        )}
        <li className="space-y-1.5">
          <p>Run the edge:</p>
          <Snippet label="Run the edge" copyLabel="Copy command" value={d.command} testId="edge-deploy-command" />
        </li>
        <li className="space-y-1.5">
          <p>
            Or run it as a service: save this unit as <code className="font-mono text-xs">{d.unitPath}</code>, then{' '}
            <code className="font-mono text-xs">systemctl enable --now {d.unitName}</code>.
          </p>
          <Snippet label="systemd unit" copyLabel="Copy unit" value={d.unit} testId="edge-deploy-unit" />
        </li>
      </ol>
    </section>
  );
}

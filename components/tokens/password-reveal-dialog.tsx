'use client';
// Shows new token passwords once. The values live only in the caller's state while this is
// open; closing it (onClose) must drop them.
import { CopyButton } from '@/components/ui/copy-button';
import { formatTime } from '@/lib/tokens/format';
import type { RevealedPassword } from '@/lib/tokens/schemas';
import type { LoginEndpoint } from '@/lib/tokens/views';
import { OneTimeDialog } from './one-time-dialog';
import { SecretValue } from './secret-value';

export type RevealedPasswords = {
  token: string;
  passwords: RevealedPassword[];
};

export function PasswordRevealDialog({
  revealed,
  endpoints,
  kind,
  onClose,
}: {
  revealed: RevealedPasswords | null;
  /** where the token logs in: each connected registry that accepts it, or a sync token's parent (unknown on the tokens list) */
  endpoints?: LoginEndpoint[];
  kind: 'client' | 'sync';
  onClose: () => void;
}) {
  const many = (revealed?.passwords.length ?? 0) > 1;
  return (
    <OneTimeDialog
      open={revealed !== null}
      onClose={onClose}
      secretName={many ? 'these passwords' : 'this password'}
      title={revealed ? `${many ? 'Passwords' : `New ${revealed.passwords[0]?.name}`} of ${revealed.token}` : ''}
      warning={
        <>
          <strong>Copy {many ? 'them' : 'it'} now.</strong> This is the only time Canopy shows {many ? 'these passwords' : 'this password'}:
          it keeps only a verifier, so {many ? 'they' : 'it'} cannot be shown again — only regenerated.
        </>
      }
    >
      {revealed && (
        <>
          {revealed.passwords.map((p) => (
            <section key={p.name} aria-label={p.name}>
              <div className="mb-1 flex items-baseline justify-between gap-3">
                <h3 className="font-mono text-sm font-semibold text-slate-900 dark:text-slate-100">{p.name}</h3>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  created {formatTime(p.creationTime)} · {p.expiry ? `expires ${formatTime(p.expiry)}` : 'never expires'}
                </p>
              </div>
              <SecretValue label={`${p.name} of ${revealed.token}`} value={p.value} testId="revealed-password" />
            </section>
          ))}
          <section aria-label="Log in">
            <h3 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Log in</h3>
            {!endpoints ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                The page of {revealed.token} shows where it logs in, with the <code className="font-mono text-xs">docker login</code> line
                for each place.
              </p>
            ) : endpoints.length > 0 ? (
              <>
                <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">
                  {kind === 'sync'
                    ? 'A sync token authenticates at its registry’s parent:'
                    : `Clients log in at each connected registry that accepts ${revealed.token}; paste the password when asked, or pipe it in:`}
                </p>
                <ul className="space-y-2">
                  {endpoints.map((e) => {
                    const line = `docker login ${e.endpoint} -u ${revealed.token} --password-stdin`;
                    return (
                      <li key={`${e.registry}-${e.endpoint}`} className="flex flex-wrap items-center gap-2">
                        <code
                          data-testid="docker-login-line"
                          className="min-w-0 flex-1 break-words rounded-md bg-slate-100 px-3 py-1.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200"
                        >
                          {line}
                        </code>
                        <CopyButton value={line} label="Copy" />
                        {e.tls === 'Disabled' && (
                          <p data-testid="insecure-registry-note" className="basis-full text-xs text-amber-700 dark:text-amber-300">
                            {e.endpoint} serves plain http (its TLS is disabled): add it to{' '}
                            <code className="font-mono">insecure-registries</code> in Docker’s{' '}
                            <code className="font-mono">daemon.json</code> first, or docker refuses to log in.
                          </p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                No connected registry accepts {revealed.token} yet. Add it to a connected registry’s client tokens, then log in there with{' '}
                <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">
                  docker login &lt;endpoint&gt; -u {revealed.token} --password-stdin
                </code>
                .
              </p>
            )}
          </section>
        </>
      )}
    </OneTimeDialog>
  );
}

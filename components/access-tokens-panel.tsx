'use client';
import { KeyRound, Trash2 } from 'lucide-react';
import { useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { OneTimeDialog } from '@/components/tokens/one-time-dialog';
import { SecretValue } from '@/components/tokens/secret-value';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { Table, Td, Th } from '@/components/ui/table';
import type { AccessTokenDto } from '@/lib/auth/schemas';
import { createAccessTokenAction, revokeAccessTokenAction } from '@/lib/auth/actions';

export function AccessTokensPanel({ tokens }: { tokens: AccessTokenDto[] }) {
  const [name, setName] = useState('');
  const [fieldErrors, setFieldErrors] = useState<string[]>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  // The new token lives only in this state while the dialog is open; closing it drops it.
  const [revealed, setRevealed] = useState<{ name: string; token: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onCreate(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createAccessTokenAction(name);
      setFieldErrors(result.fieldErrors?.name);
      if (result.ok && result.data) {
        setRevealed(result.data);
        setName('');
        setMessage(undefined);
      } else {
        setMessage({ ok: false, text: result.message ?? 'Could not create the access token.' });
      }
    });
  }

  function onRevoke(tokenName: string) {
    if (!window.confirm(`Revoke "${tokenName}"? Automation that uses it stops working at once.`)) return;
    startTransition(async () => {
      const result = await revokeAccessTokenAction(tokenName);
      setMessage({ ok: result.ok, text: result.message ?? '' });
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onCreate} className="flex flex-wrap items-start gap-3">
        <TextField
          label="New access token name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="ci-pipeline"
          errors={fieldErrors}
          className="w-72"
        />
        <Button type="submit" className="mt-6" disabled={pending || !name.trim()}>
          <KeyRound size={15} aria-hidden /> Create access token
        </Button>
      </form>
      <FormMessage ok={message?.ok} message={message?.text} />
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          You have no access tokens. Create one to use the REST API from scripts and CI.
        </p>
      ) : (
        <Table caption="Your access tokens">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th className="w-24">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {tokens.map((t) => (
              <tr key={t.name} data-testid="access-token-row">
                <Td className="font-medium break-all">{t.name}</Td>
                <Td>{t.createdAt.slice(0, 16).replace('T', ' ')}</Td>
                <Td>{t.lastUsedAt ? t.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'}</Td>
                <Td>
                  <Button variant="ghost" size="sm" onClick={() => onRevoke(t.name)} disabled={pending} aria-label={`Revoke ${t.name}`}>
                    <Trash2 size={14} aria-hidden /> Revoke
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <OneTimeDialog
        open={revealed !== null}
        onClose={() => setRevealed(null)}
        title={`Access token "${revealed?.name ?? ''}"`}
        secretName="this access token"
        warning={
          <>
            <strong>Copy it now:</strong> it is shown this once and cannot be retrieved later.
          </>
        }
      >
        {revealed && (
          <>
            <SecretValue label={`Access token ${revealed.name}`} value={revealed.token} testId="revealed-secret" />
            <p className="text-xs text-slate-600 dark:text-slate-400">
              Use it as <code>Authorization: Bearer &lt;token&gt;</code> against <code>/api/v1</code>.
            </p>
          </>
        )}
      </OneTimeDialog>
    </div>
  );
}

'use client';
// Creates a client token with an existing scope map, or with a new one made from the action
// editor in the same transaction: named by the admin, or, left unnamed, `<token>-scope-map` from
// the token's inline permissions (ACR's `token create --repository`). Expiry: a day, or days. The generated passwords come back from the server action into this
// component's state alone, are shown once, and are dropped when the dialog closes.
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { ActionMatrix, type RegistryOption } from '@/components/scope-maps/action-matrix';
import { inlinePermissions } from '@/lib/scope-maps/permission-matrix';
import { Button } from '@/components/ui/button';
import { ScopeMapNameFields } from '@/components/scope-maps/scope-map-name-fields';
import { FieldErrors, TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { RadioOption } from '@/components/ui/radio-option';
import { createTokenAction } from '@/lib/tokens/actions';
import { endOfDayUtc } from '@/lib/tokens/format';
import { tokenHref } from '@/lib/tokens/hrefs';
import { ExistingScopeMapPicker } from './existing-scope-map-picker';
import { PasswordRevealDialog, type RevealedPasswords } from './password-reveal-dialog';
import type { ScopeMapChoice } from './scope-map-options';
import { TokenPasswordChoice, type PasswordChoice } from './token-password-choice';

/** Errors of inline permissions (`repositories`, `gateway`) show under the matrix, with the new map's. */
function byPermissionField(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = key === 'repositories' || key === 'gateway' ? 'newScopeMap.actions' : key;
    out[field] = [...new Set([...(out[field] ?? []), ...messages])];
  }
  return out;
}

export function TokenCreateForm({
  registry,
  choices,
  connectedRegistries,
  today,
}: {
  registry: string;
  choices: { user: ScopeMapChoice[]; system: ScopeMapChoice[] };
  connectedRegistries: RegistryOption[];
  /** YYYY-MM-DD, the earliest expiry day */
  today: string;
}) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<'enabled' | 'disabled'>('enabled');
  const [scopeMode, setScopeMode] = useState<'existing' | 'new'>('existing');
  const [scopeMap, setScopeMap] = useState(
    // the least a token can do is the safest default
    choices.system.find((m) => m.name === '_repositories_pull')?.name ?? choices.user[0]?.name ?? choices.system[0]?.name ?? '',
  );
  const [newMapName, setNewMapName] = useState('');
  const [newMapDescription, setNewMapDescription] = useState('');
  const [newMapActions, setNewMapActions] = useState<string[]>([]);
  const [passwordChoice, setPasswordChoice] = useState<PasswordChoice>('no-expiry');
  const [expiryDate, setExpiryDate] = useState('');
  const [expiryDays, setExpiryDays] = useState('90');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string>();
  // The new passwords: only here, only while the reveal dialog is open.
  const [revealed, setRevealed] = useState<RevealedPasswords | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (passwordChoice === 'expiry' && !endOfDayUtc(expiryDate)) {
      setFieldErrors({ expiry: ['Choose the day the passwords expire.'] });
      return;
    }
    startTransition(async () => {
      const result = await createTokenAction(registry, {
        name,
        status,
        ...(scopeMode === 'existing'
          ? { scopeMap }
          : newMapName.trim()
            ? { newScopeMap: { name: newMapName, description: newMapDescription || undefined, actions: newMapActions } }
            : // no name: the token's own permissions, in a map Canopy names <token>-scope-map
              inlinePermissions(newMapActions)),
        expiry: passwordChoice === 'expiry' ? endOfDayUtc(expiryDate) : null,
        ...(passwordChoice === 'days' ? { expiresInDays: Number(expiryDays) } : {}),
        noPasswords: passwordChoice === 'none',
      });
      setFieldErrors(byPermissionField(result.fieldErrors ?? {}));
      if (result.ok && result.data) {
        setMessage(undefined);
        if (result.data.passwords.length) setRevealed({ token: result.data.name, passwords: result.data.passwords });
        else router.push(tokenHref(registry, result.data.name));
        return;
      }
      setMessage(result.message ?? 'The token could not be created.');
    });
  }

  function closeReveal() {
    const created = revealed?.token;
    setRevealed(null);
    if (created) router.push(tokenHref(registry, created));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <section className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm">
        <h2 className="mb-4 text-sm font-semibold text-slate-900 dark:text-slate-100">Token</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="factory-line-1"
            hint="5–50 letters, digits and “-”. Clients log in with it as the user name."
            errors={fieldErrors.name}
            autoComplete="off"
            required
          />
          <fieldset>
            <legend className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">Status</legend>
            <div className="flex gap-2">
              {(['enabled', 'disabled'] as const).map((s) => (
                <RadioOption key={s} name="status" value={s} checked={status === s} onSelect={() => setStatus(s)}>
                  {s === 'enabled' ? 'Enabled' : 'Disabled'}
                </RadioOption>
              ))}
            </div>
            <FieldErrors id="status-error" errors={fieldErrors.status} />
          </fieldset>
        </div>
      </section>

      <section className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm">
        <h2 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Scope map</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
          What the token may do. A change to the scope map later applies to every token that uses it.
        </p>
        <div className="mb-4 flex flex-wrap gap-2" role="radiogroup" aria-label="Scope map source">
          <RadioOption name="scope-mode" checked={scopeMode === 'existing'} onSelect={() => setScopeMode('existing')}>
            Use an existing scope map
          </RadioOption>
          <RadioOption name="scope-mode" checked={scopeMode === 'new'} onSelect={() => setScopeMode('new')}>
            Create a new scope map
          </RadioOption>
        </div>
        {scopeMode === 'existing' ? (
          <ExistingScopeMapPicker choices={choices} value={scopeMap} onChange={setScopeMap} errors={fieldErrors.scopeMap} />
        ) : (
          <div className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <ScopeMapNameFields
                prefix="newScopeMap."
                nameLabel="Scope map name (optional)"
                name={newMapName}
                onName={setNewMapName}
                description={newMapDescription}
                onDescription={setNewMapDescription}
                fieldErrors={fieldErrors}
                placeholder={name.trim() ? `${name.trim()}-scope-map` : 'line-1-pull'}
                hint={`5–60 letters, digits, “-” and “_”. Leave it empty and Canopy names it ${name.trim() || '<token>'}-scope-map.`}
              />
            </div>
            <ActionMatrix
              value={newMapActions}
              onChange={setNewMapActions}
              connectedRegistries={connectedRegistries}
              errors={fieldErrors['newScopeMap.actions']}
            />
          </div>
        )}
      </section>

      <TokenPasswordChoice
        choice={passwordChoice}
        onChoice={setPasswordChoice}
        expiryDate={expiryDate}
        onExpiryDate={setExpiryDate}
        expiryDays={expiryDays}
        onExpiryDays={setExpiryDays}
        today={today}
        fieldErrors={fieldErrors}
      />

      <FormMessage message={message} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </Button>
      </div>

      <PasswordRevealDialog revealed={revealed} endpoints={[]} kind="client" onClose={closeReveal} />
    </form>
  );
}

'use client';
// Creates a client token with an existing scope map, or with a new one made from the action
// editor in the same transaction: named by the admin, or, left unnamed, `<token>-scope-map` from
// the token's inline permissions (ACR's `token create --repository`). Expiry: a day, or days. The generated passwords come back from the server action into this
// component's state alone, are shown once, and are dropped when the dialog closes.
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition, type FormEvent } from 'react';
import { ActionMatrix, type RegistryOption } from '@/components/scope-maps/action-matrix';
import { inlinePermissions } from '@/lib/scope-maps/permission-matrix';
import { Button } from '@/components/ui/button';
import { FieldErrors, TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { createTokenAction } from '@/lib/tokens/actions';
import { endOfDayUtc } from '@/lib/tokens/format';
import { tokenHref } from '@/lib/tokens/hrefs';
import { PasswordRevealDialog, type RevealedPasswords } from './password-reveal-dialog';
import { ScopeMapOptions, type ScopeMapChoice } from './scope-map-options';

type PasswordChoice = 'no-expiry' | 'expiry' | 'days' | 'none';

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
  const ids = useId();
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

  const chosen = [...choices.user, ...choices.system].find((m) => m.name === scopeMap);

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

  const radio = 'flex items-start gap-2 rounded-md border px-3 py-2 text-sm cursor-pointer';
  const radioOn = 'border-brand-500 bg-brand-50/50 dark:bg-brand-900/30';
  const radioOff = 'border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 hover:border-slate-300 dark:hover:border-slate-700';

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
                <label key={s} className={`${radio} ${status === s ? radioOn : radioOff}`}>
                  <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} className="mt-0.5" />
                  {s === 'enabled' ? 'Enabled' : 'Disabled'}
                </label>
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
          <label className={`${radio} ${scopeMode === 'existing' ? radioOn : radioOff}`}>
            <input
              type="radio"
              name="scope-mode"
              checked={scopeMode === 'existing'}
              onChange={() => setScopeMode('existing')}
              className="mt-0.5"
            />
            Use an existing scope map
          </label>
          <label className={`${radio} ${scopeMode === 'new' ? radioOn : radioOff}`}>
            <input type="radio" name="scope-mode" checked={scopeMode === 'new'} onChange={() => setScopeMode('new')} className="mt-0.5" />
            Create a new scope map
          </label>
        </div>
        {scopeMode === 'existing' ? (
          <div className="max-w-xl">
            <label htmlFor={`${ids}-scope-map`} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">
              Scope map
            </label>
            <select
              id={`${ids}-scope-map`}
              value={scopeMap}
              onChange={(e) => setScopeMap(e.target.value)}
              aria-describedby="scopeMap-error"
              aria-invalid={fieldErrors.scopeMap ? true : undefined}
              className="block w-full rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm shadow-sm"
            >
              <ScopeMapOptions choices={choices} current={scopeMap} />
            </select>
            <FieldErrors id="scopeMap-error" errors={fieldErrors.scopeMap} />
            {chosen && (
              <div className="mt-3 rounded-md bg-slate-50 dark:bg-slate-800/60 p-3">
                {chosen.description && <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{chosen.description}</p>}
                <ul className="flex flex-wrap gap-1" aria-label={`Actions of ${chosen.name}`}>
                  {chosen.actions.slice(0, 12).map((a) => (
                    <li
                      key={a}
                      className="rounded bg-white dark:bg-slate-900 px-1.5 py-0.5 font-mono text-[11px] text-slate-700 dark:text-slate-300 ring-1 ring-slate-200 dark:ring-slate-700"
                    >
                      {a}
                    </li>
                  ))}
                  {chosen.actions.length > 12 && (
                    <li className="text-xs text-slate-500 dark:text-slate-400">+{chosen.actions.length - 12} more</li>
                  )}
                </ul>
              </div>
            )}
          </div>
        ) : (
          <div className="space-y-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label="Scope map name (optional)"
                name="newScopeMap.name"
                value={newMapName}
                onChange={(e) => setNewMapName(e.target.value)}
                placeholder={name.trim() ? `${name.trim()}-scope-map` : 'line-1-pull'}
                hint={`5–60 letters, digits, “-” and “_”. Leave it empty and Canopy names it ${name.trim() || '<token>'}-scope-map.`}
                errors={fieldErrors['newScopeMap.name']}
                autoComplete="off"
              />
              <TextField
                label="Description (optional)"
                name="newScopeMap.description"
                value={newMapDescription}
                onChange={(e) => setNewMapDescription(e.target.value)}
                maxLength={256}
                errors={fieldErrors['newScopeMap.description']}
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

      <section className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm">
        <h2 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Passwords</h2>
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">Both slots get a password, shown once after the token is created.</p>
        <div className="flex flex-col gap-2 sm:max-w-xl">
          <label className={`${radio} ${passwordChoice === 'no-expiry' ? radioOn : radioOff}`}>
            <input
              type="radio"
              name="passwords"
              checked={passwordChoice === 'no-expiry'}
              onChange={() => setPasswordChoice('no-expiry')}
              className="mt-0.5"
            />
            Generate both passwords, with no expiry
          </label>
          <div className={`rounded-md border ${passwordChoice === 'expiry' ? radioOn : radioOff}`}>
            <label className="flex cursor-pointer items-start gap-2 px-3 py-2 text-sm">
              <input
                type="radio"
                name="passwords"
                checked={passwordChoice === 'expiry'}
                onChange={() => setPasswordChoice('expiry')}
                className="mt-0.5"
              />
              Generate both passwords, expiring on a day
            </label>
            {passwordChoice === 'expiry' && (
              <div className="flex flex-wrap items-center gap-2 px-3 pb-3 pl-8">
                <label htmlFor={`${ids}-expiry`} className="sr-only">
                  Expiry day
                </label>
                <input
                  id={`${ids}-expiry`}
                  type="date"
                  min={today}
                  value={expiryDate}
                  onChange={(e) => setExpiryDate(e.target.value)}
                  aria-describedby="expiry-error"
                  aria-invalid={fieldErrors.expiry ? true : undefined}
                  className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
                />
                <span className="text-xs text-slate-500 dark:text-slate-400">They stop working at the end of that day (UTC).</span>
              </div>
            )}
          </div>
          <div className={`rounded-md border ${passwordChoice === 'days' ? radioOn : radioOff}`}>
            <label className="flex cursor-pointer items-start gap-2 px-3 py-2 text-sm">
              <input
                type="radio"
                name="passwords"
                checked={passwordChoice === 'days'}
                onChange={() => setPasswordChoice('days')}
                className="mt-0.5"
              />
              Generate both passwords, expiring after a number of days
            </label>
            {passwordChoice === 'days' && (
              <div className="flex flex-wrap items-center gap-2 px-3 pb-3 pl-8">
                <label htmlFor={`${ids}-days`} className="text-sm text-slate-700 dark:text-slate-300">
                  Days
                </label>
                <input
                  id={`${ids}-days`}
                  type="number"
                  min={1}
                  max={3650}
                  value={expiryDays}
                  onChange={(e) => setExpiryDays(e.target.value)}
                  aria-describedby="expiresInDays-error"
                  aria-invalid={fieldErrors.expiresInDays ? true : undefined}
                  className="w-24 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm shadow-sm"
                />
                <span className="text-xs text-slate-500 dark:text-slate-400">From now: 1 to 3650.</span>
                <FieldErrors id="expiresInDays-error" errors={fieldErrors.expiresInDays} />
              </div>
            )}
          </div>
          <label className={`${radio} ${passwordChoice === 'none' ? radioOn : radioOff}`}>
            <input
              type="radio"
              name="passwords"
              checked={passwordChoice === 'none'}
              onChange={() => setPasswordChoice('none')}
              className="mt-0.5"
            />
            <span>No passwords yet (generate them later on the token’s page)</span>
          </label>
          <FieldErrors id="expiry-error" errors={fieldErrors.expiry ?? fieldErrors.noPasswords} />
        </div>
      </section>

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

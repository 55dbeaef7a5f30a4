'use client';
import { clsx } from 'clsx';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState, useCallback, useMemo, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ChoiceCards, type Choice } from '@/components/ui/choice-cards';
import { FieldErrors, SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { bannerMessage, initialActionState } from '@/lib/actions';
import { createConnectedRegistryAction, type ConnectedRegistryFormState } from '@/lib/registries/actions';
import { connectedRegistryHref } from '@/lib/registries/client-queries';
import { checkSchedule, firstIssue, listIssues, liveHostIssue, liveNameIssue, splitList } from '@/lib/registries/form-checks';
import {
  CONTINUOUS_SCHEDULE,
  DEFAULT_GC_SCHEDULE,
  DEFAULT_MESSAGE_TTL,
  childModeError,
  cronError,
  syncWindowError,
} from '@/lib/registries/rules';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { ConnectionStringDialog, type RevealedConnectionString } from '@/components/tokens/connection-string-dialog';
import { ClientTokenPicker } from './client-token-picker';
import { LoginServerSharingNote } from './login-server-sharing-note';
import { RegistryNameField } from './registry-name-field';
import { RegistryRuntimeFields } from './registry-runtime-fields';
import { SyncScheduleFields } from './sync-schedule-fields';
import { SyncTokenPicker } from './sync-token-picker';
import { mergeErrors, submitWithoutReset, useFieldFeedback, useFieldValues } from './use-field-feedback';

const fields = createConnectedRegistryInput.shape;
/** fields that show their own errors: the banner does not repeat those */
const shownFields = [
  'name',
  'parent',
  'mode',
  'parentProtocol',
  'loginServer',
  'repositories',
  'syncToken',
  'clientTokens',
  'syncSchedule',
  'syncWindow',
  'syncMessageTtl',
  'logLevel',
  'notifications',
  'tls',
  'auditLogStatus',
  'garbageCollection.schedule',
];
type Mode = 'ReadWrite' | 'ReadOnly';

const syncSources: Choice<'repositories' | 'token'>[] = [
  { value: 'repositories', title: 'New sync token', text: 'Say what it syncs; Canopy makes its sync token and sync scope map.' },
  { value: 'token', title: 'Use an existing token', text: 'Adopt a token of yours: its scope map says what it syncs.' },
];

const modes: Choice<Mode>[] = [
  { value: 'ReadWrite', title: 'ReadWrite', text: 'Clients pull and push; changes sync up to the parent.' },
  { value: 'ReadOnly', title: 'ReadOnly', text: 'A pull-only mirror. Accepts only read-only client tokens.' },
];

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="grid grid-cols-1 gap-x-8 gap-y-4 py-6 first:pt-0 lg:grid-cols-[14rem_1fr]">
      <div>
        <h2 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h2>
        {description && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{description}</p>}
      </div>
      <div className="grid min-w-0 grid-cols-1 gap-4 sm:grid-cols-2">{children}</div>
    </section>
  );
}

/** The "New connected registry" form: checks as the user types, the server decides. */
export function ConnectedRegistryForm({
  registry,
  parents,
  defaultParent,
}: {
  registry: string;
  parents: { name: string; mode: Mode }[];
  defaultParent?: string | null;
}) {
  const router = useRouter();
  const [revealed, setRevealed] = useState<RevealedConnectionString | null>(null);
  const [state, formAction, pending] = useActionState<ConnectedRegistryFormState, FormData>(async (prev, formData) => {
    const result = await createConnectedRegistryAction(registry, prev, formData);
    // the connection string (with the sync token's first password) is shown once, then the page
    if (result.ok && result.data)
      setRevealed({ ...result.data, registry: result.data.name, created: true, parentProtocol: 'https', requestedProtocol: 'https' });
    return result;
  }, initialActionState);
  const feedback = useFieldFeedback(state);
  const submit = submitWithoutReset(formAction);
  const parentModes = useMemo(() => new Map(parents.map((p) => [p.name, p.mode])), [parents]);
  const presetParent = defaultParent && parentModes.has(defaultParent) ? defaultParent : '';

  const {
    values: v,
    set,
    leave,
  } = useFieldValues(
    {
      name: '',
      parent: presetParent,
      mode: (parentModes.get(presetParent) === 'ReadOnly' ? 'ReadOnly' : 'ReadWrite') as Mode,
      loginServer: '',
      repositories: '',
      syncSchedule: CONTINUOUS_SCHEDULE,
      syncWindow: '',
      syncMessageTtl: DEFAULT_MESSAGE_TTL,
      logLevel: 'Information',
      notifications: '',
      parentProtocol: '',
      tls: 'Enabled',
      auditLogStatus: 'Disabled',
      gcEnabled: 'true',
      gcSchedule: DEFAULT_GC_SCHEDULE,
    },
    feedback,
  );
  const [clientTokens, setClientTokens] = useState<string[]>([]);
  // what it syncs: repositories (a new sync token is made), or an existing token's scope map
  const [syncSource, setSyncSource] = useState<'repositories' | 'token'>('repositories');
  const [syncToken, setSyncToken] = useState('');
  const { markEdited } = feedback;
  const chooseSyncToken = useCallback(
    (name: string) => {
      setSyncToken(name);
      markEdited('syncToken');
    },
    [markEdited],
  );

  const { schedule, issue: scheduleIssue } = checkSchedule(v.syncSchedule);
  const repositories = splitList(v.repositories);
  const notifications = splitList(v.notifications);
  const parentMode = v.parent ? (parentModes.get(v.parent) ?? null) : null;
  const modeWarning = childModeError(parentMode, v.mode);

  const live = {
    name: liveNameIssue(v.name, feedback.hasLeft('name')),
    loginServer: liveHostIssue(v.loginServer, feedback.hasLeft('loginServer')),
    repositories: listIssues(fields.repositories.unwrap().element, repositories),
    syncSchedule: v.syncSchedule.trim() ? scheduleIssue : null,
    syncWindow:
      !scheduleIssue && (v.syncWindow.trim() || feedback.hasLeft('syncWindow'))
        ? syncWindowError(schedule, v.syncWindow.trim().toUpperCase() || null)
        : null,
    syncMessageTtl: v.syncMessageTtl.trim() ? firstIssue(fields.syncMessageTtl, v.syncMessageTtl) : null,
    notifications: listIssues(fields.notifications.unwrap().element, notifications),
    gcSchedule: v.gcEnabled === 'true' ? cronError(v.gcSchedule.trim()) : null,
  };
  // the server names the schedule's errors by their place in the garbageCollection object it was sent in
  const errors = (
    field: keyof typeof live | 'parent' | 'mode' | 'clientTokens' | 'logLevel' | 'parentProtocol' | 'tls' | 'auditLogStatus' | 'syncToken',
  ) =>
    mergeErrors(
      field in live ? live[field as keyof typeof live] : null,
      feedback.serverErrors(field === 'gcSchedule' ? 'garbageCollection.schedule' : field),
    );

  return (
    <>
      <form
        onSubmit={submit}
        noValidate
        aria-label="New connected registry"
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6 shadow-sm"
      >
        <div className="divide-y divide-slate-200 dark:divide-slate-700">
          <Section title="Registry" description="Its name is unique in this hierarchy. Parent and mode cannot change later.">
            <RegistryNameField value={v.name} onChange={set('name')} onBlur={leave('name')} placeholder="edge01" errors={errors('name')} />
            <SelectField
              label="Parent"
              name="parent"
              value={v.parent}
              onChange={set('parent')}
              errors={errors('parent')}
              hint="The registry it syncs with."
            >
              <option value="">{registry} (the cloud registry)</option>
              {parents.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} — {p.mode}
                </option>
              ))}
            </SelectField>
            {v.parent ? (
              <SelectField
                label="Parent endpoint protocol"
                name="parentProtocol"
                value={v.parentProtocol}
                onChange={set('parentProtocol')}
                errors={errors('parentProtocol')}
                hint={`How it reaches ${v.parent}, in its connection string.`}
              >
                <option value="">As {v.parent}’s TLS says</option>
                <option value="https">https</option>
                <option value="http">http</option>
              </SelectField>
            ) : (
              <p className="self-end text-xs text-slate-500 dark:text-slate-400">It reaches {registry}’s data endpoint over https.</p>
            )}
            <fieldset className="sm:col-span-2" aria-describedby="mode-error mode-hint">
              <legend className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">Mode</legend>
              <ChoiceCards choices={modes} value={v.mode} onChange={(mode) => set('mode')({ target: { value: mode } })} name="mode" />
              <p
                id="mode-hint"
                className={clsx('mt-1 text-xs', modeWarning ? 'text-amber-700 dark:text-amber-300' : 'text-slate-500 dark:text-slate-400')}
              >
                {feedback.serverErrors('mode')
                  ? null
                  : (modeWarning ??
                    (parentMode === 'ReadOnly'
                      ? `${v.parent} is ReadOnly: its children must be ReadOnly too.`
                      : 'ReadWrite is the usual choice.'))}
              </p>
              <FieldErrors id="mode-error" errors={feedback.serverErrors('mode')} />
            </fieldset>
            <TextField
              label="Login server"
              name="loginServer"
              value={v.loginServer}
              onChange={set('loginServer')}
              onBlur={leave('loginServer')}
              placeholder="edge01.contoso.local:8080"
              autoComplete="off"
              spellCheck={false}
              required
              hint="Host name or IP address, optional port: where on-premises clients log in."
              errors={errors('loginServer')}
              className="sm:col-span-2"
            />
            <LoginServerSharingNote value={v.loginServer} registry={registry} name={v.name} />
          </Section>

          <Section title="What it syncs" description="Adding repositories here also adds them to every registry above it.">
            <fieldset className="sm:col-span-2">
              <legend className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">Sync token</legend>
              <input type="hidden" name="syncSource" value={syncSource} />
              <ChoiceCards choices={syncSources} value={syncSource} onChange={setSyncSource} />
            </fieldset>
            {syncSource === 'repositories' ? (
              <TextAreaField
                label="Repositories"
                name="repositories"
                value={v.repositories}
                onChange={set('repositories')}
                rows={4}
                placeholder={'library/hello-world\nacme/web-api'}
                spellCheck={false}
                required
                hint={
                  repositories.length
                    ? `${repositories.length} ${repositories.length === 1 ? 'repository' : 'repositories'}. One per line, or separated by commas.`
                    : 'At least one. One per line, or separated by commas.'
                }
                errors={errors('repositories')}
                className="sm:col-span-2"
              />
            ) : (
              <div className="sm:col-span-2">
                <SyncTokenPicker
                  registry={registry}
                  target={{ name: v.name.trim(), mode: v.mode, clientTokens }}
                  value={syncToken}
                  onChange={chooseSyncToken}
                  errors={errors('syncToken')}
                />
              </div>
            )}
            <div className="sm:col-span-2">
              <ClientTokenPicker
                registry={registry}
                label="Client tokens (optional)"
                name="clientTokens"
                value={clientTokens}
                onChange={(names) => {
                  setClientTokens(names);
                  feedback.markEdited('clientTokens');
                }}
                readOnlyOnly={v.mode === 'ReadOnly'}
                hint={
                  v.mode === 'ReadOnly'
                    ? 'A ReadOnly registry accepts only tokens whose scope map only reads.'
                    : 'The tokens on-premises clients log in with.'
                }
                errors={errors('clientTokens')}
              />
            </div>
          </Section>

          <Section title="Sync" description="When it syncs with its parent, and how long messages wait.">
            <SyncScheduleFields
              values={v}
              set={set}
              leave={leave}
              errors={errors}
              windowRequiredHint="Required: how long each sync may run, 1 hour (PT1H) to 7 days (P7D)."
            />
            <TextAreaField
              label="Notifications (optional)"
              name="notifications"
              value={v.notifications}
              onChange={set('notifications')}
              rows={2}
              placeholder={'*:*\nhello-world:1.0:push'}
              spellCheck={false}
              hint="artifact:action, one per line; action push, delete or *."
              errors={errors('notifications')}
              className="sm:col-span-2"
            />
          </Section>

          <Section title="On premises" description="How the on-premises registry serves its clients. All of it can change later.">
            <RegistryRuntimeFields values={v} set={set} errors={errors} />
          </Section>
        </div>

        <div className="space-y-3 border-t border-slate-200 dark:border-slate-800 pt-6">
          <FormMessage message={bannerMessage(state, shownFields)} />
          <Button type="submit" disabled={pending || state.ok}>
            <Plus size={15} aria-hidden /> {pending ? 'Creating…' : state.ok ? 'Created' : 'Create connected registry'}
          </Button>
        </div>
      </form>
      <ConnectionStringDialog
        revealed={revealed}
        onClose={() => {
          const name = revealed?.registry;
          setRevealed(null);
          if (name) router.push(`${connectedRegistryHref(registry, name)}&created=1`);
        }}
      />
    </>
  );
}

'use client';
import { Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState, useCallback, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { bannerMessage, initialActionState } from '@/lib/actions';
import { createConnectedRegistryAction, type ConnectedRegistryFormState } from '@/lib/registries/actions';
import { connectedRegistryHref } from '@/lib/registries/client-queries';
import { checkSchedule, listIssues, liveHostIssue, liveNameIssue, plainSettingIssues, splitList } from '@/lib/registries/form-checks';
import { plainSyncSettingDefaults } from '@/lib/registries/form-values';
import { CONTINUOUS_SCHEDULE, DEFAULT_GC_SCHEDULE, childModeError, cronError, syncWindowError } from '@/lib/registries/rules';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { ConnectionStringDialog, type RevealedConnectionString } from '@/components/tokens/connection-string-dialog';
import { FormSection } from './form-section';
import { RegistryPlacementFields } from './registry-placement-fields';
import { RegistryRuntimeFields } from './registry-runtime-fields';
import { SyncScheduleFields } from './sync-schedule-fields';
import { SyncSourceFields, type SyncSource } from './sync-source-fields';
import { mergeErrors, submitWithoutReset, useFieldFeedback, useFieldValues } from './use-field-feedback';

const fields = createConnectedRegistryInput.shape;
type Mode = 'ReadWrite' | 'ReadOnly';

/** The "New connected registry" form: checks as the user types, the server decides. */
export function ConnectedRegistryForm({
  registry,
  parents,
  allParents = true,
  defaultParent,
}: {
  registry: string;
  /** the parents to offer: every connected registry (`allParents`), else those known so far (the preset) */
  parents: { name: string; mode: Mode }[];
  /** false in a big hierarchy: the parent is searched by name as it is typed */
  allParents?: boolean;
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
  const presetModes = useMemo(() => new Map(parents.map((p) => [p.name.toLowerCase(), p])), [parents]);
  // the parents whose mode is known: those offered, and those a search has brought since
  const [found, setFound] = useState<ReadonlyMap<string, { name: string; mode: Mode }>>(new Map());
  const parentModes = useMemo(() => new Map([...presetModes, ...found]), [presetModes, found]);
  const addFound = useCallback(
    (more: { name: string; mode: Mode }[]) =>
      setFound((prev) =>
        more.every((p) => prev.has(p.name.toLowerCase()))
          ? prev
          : new Map([...prev, ...more.map((p) => [p.name.toLowerCase(), p] as const)]),
      ),
    [],
  );
  const presetParent = (defaultParent && presetModes.get(defaultParent.toLowerCase())?.name) || '';

  const {
    values: v,
    set,
    leave,
  } = useFieldValues(
    {
      name: '',
      parent: presetParent,
      mode: (presetModes.get(presetParent.toLowerCase())?.mode === 'ReadOnly' ? 'ReadOnly' : 'ReadWrite') as Mode,
      loginServer: '',
      repositories: '',
      syncSchedule: CONTINUOUS_SCHEDULE,
      syncWindow: '',
      ...plainSyncSettingDefaults(),
      notifications: '',
      parentProtocol: '',
      tls: 'Enabled',
      gcEnabled: 'true',
      gcSchedule: DEFAULT_GC_SCHEDULE,
    },
    feedback,
  );
  const [clientTokens, setClientTokens] = useState<string[]>([]);
  // what it syncs: repositories (a new sync token is made), or an existing token's scope map
  const [syncSource, setSyncSource] = useState<SyncSource>('repositories');
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
  const parentMode = v.parent ? (parentModes.get(v.parent.trim().toLowerCase())?.mode ?? null) : null;
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
    ...plainSettingIssues(v, { blankIsFine: true }),
    notifications: listIssues(fields.notifications.unwrap().element, notifications),
    gcSchedule: v.gcEnabled === 'true' ? cronError(v.gcSchedule.trim()) : null,
  };
  // the server names the schedule's errors by their place in the garbageCollection object it was sent in
  const errors = (field: keyof typeof v | 'clientTokens' | 'syncToken') =>
    mergeErrors(
      field in live ? live[field as keyof typeof live] : null,
      feedback.serverErrors(field === 'gcSchedule' ? 'garbageCollection.schedule' : field),
    );

  /** fields that show their own errors: the banner does not repeat those */
  const shownFields = [...Object.keys(v), 'clientTokens', 'syncToken', 'garbageCollection.schedule'];

  return (
    <>
      <form
        onSubmit={submit}
        noValidate
        aria-label="New connected registry"
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6 shadow-sm"
      >
        <div className="divide-y divide-slate-200 dark:divide-slate-700">
          <FormSection title="Registry" description="Its name is unique in this hierarchy. Parent and mode cannot change later.">
            <RegistryPlacementFields
              registry={registry}
              parents={parents}
              allParents={allParents}
              onParentsFound={addFound}
              values={v}
              set={set}
              leave={leave}
              errors={errors}
              modeErrors={feedback.serverErrors('mode')}
              modeHint={
                modeWarning ??
                (parentMode === 'ReadOnly'
                  ? `${v.parent} is ReadOnly: its children must be ReadOnly too.`
                  : 'ReadWrite is the usual choice.')
              }
              modeWarning={modeWarning !== null}
            />
          </FormSection>

          <FormSection title="What it syncs" description="Adding repositories here also adds them to every registry above it.">
            <SyncSourceFields
              registry={registry}
              values={v}
              set={set}
              errors={errors}
              syncSource={syncSource}
              onSyncSource={setSyncSource}
              syncToken={syncToken}
              onSyncToken={chooseSyncToken}
              clientTokens={clientTokens}
              onClientTokens={(names) => {
                setClientTokens(names);
                feedback.markEdited('clientTokens');
              }}
            />
          </FormSection>

          <FormSection title="Sync" description="When it syncs with its parent, and how long messages wait.">
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
          </FormSection>

          <FormSection title="On premises" description="How the on-premises registry serves its clients. All of it can change later.">
            <RegistryRuntimeFields values={v} set={set} errors={errors} />
          </FormSection>
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

'use client';
import { useQueryClient } from '@tanstack/react-query';
import { Save } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/actions';
import { updateSyncSettingsAction } from '@/lib/registries/actions';
import { registryKeys } from '@/lib/registries/client-queries';
import type { SyncSettings } from '@/lib/registries/form-values';
import { checkSchedule, liveHostIssue, plainSettingIssues } from '@/lib/registries/form-checks';
import { cronError, syncWindowError } from '@/lib/registries/rules';
import { RegistryRuntimeFields } from './registry-runtime-fields';
import { SyncScheduleFields } from './sync-schedule-fields';
import { LoginServerSharingNote } from './login-server-sharing-note';
import { mergeErrors, useFieldFeedback, useFieldValues } from './use-field-feedback';

/**
 * Edits the schedule, window, message TTL, log level, audit log, login server (with its TLS) and
 * garbage collection of a connected registry.
 */
export function SyncSettingsForm({ registry, name, initial }: { registry: string; name: string; initial: SyncSettings }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();
  const feedback = useFieldFeedback(state);
  // an edit clears the last save's message
  const {
    values: v,
    setValues: setV,
    set,
  } = useFieldValues(initial, feedback, () => {
    if (state.message) setState((s) => ({ ...s, message: undefined }));
  });

  const { schedule, issue: scheduleIssue } = checkSchedule(v.syncSchedule);
  const live = {
    syncSchedule: v.syncSchedule.trim() ? scheduleIssue : null,
    syncWindow: scheduleIssue ? null : syncWindowError(schedule, v.syncWindow.trim().toUpperCase() || null),
    ...plainSettingIssues(v),
    loginServer: v.loginServer ? liveHostIssue(v.loginServer, true) : 'Enter the login server.',
    gcSchedule: cronError(v.gcSchedule.trim()),
  };
  type Field = keyof SyncSettings;
  // the server names the schedule's errors by their place in the garbageCollection object it was sent in
  const serverField = (field: Field) => (field === 'gcSchedule' ? 'garbageCollection.schedule' : field);
  const errors = (field: Field) =>
    mergeErrors(field in live ? live[field as keyof typeof live] : null, feedback.serverErrors(serverField(field)));
  const dirty = (Object.keys(initial) as (keyof SyncSettings)[]).some((k) => (initial[k] ?? '') !== (v[k] ?? ''));

  function save() {
    startTransition(async () => {
      const result = await updateSyncSettingsAction(registry, name, { ...v, syncSchedule: schedule, gcSchedule: v.gcSchedule.trim() });
      setState(result);
      if (result.ok) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: registryKeys.connected(registry, name) }),
          queryClient.invalidateQueries({ queryKey: registryKeys.hierarchy(registry) }),
        ]);
      }
    });
  }

  return (
    <form
      aria-label="Sync settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      className="grid grid-cols-1 gap-4 sm:grid-cols-2"
    >
      <SyncScheduleFields values={v} set={set} errors={errors} windowRequiredHint="Required: 1 hour (PT1H) to 7 days (P7D)." />
      <TextField
        label="Login server"
        name="loginServer"
        value={v.loginServer}
        onChange={set('loginServer')}
        spellCheck={false}
        autoComplete="off"
        hint="Where on-premises clients log in; its children sync through it."
        errors={errors('loginServer')}
      />
      <LoginServerSharingNote value={v.loginServer} registry={registry} name={name} />
      <RegistryRuntimeFields values={v} set={set} errors={errors} />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={pending || !dirty}>
          <Save size={15} aria-hidden /> {pending ? 'Saving…' : 'Save sync settings'}
        </Button>
        {dirty && !pending && (
          <Button variant="ghost" onClick={() => setV(initial)}>
            Undo changes
          </Button>
        )}
        <div className="min-w-0 flex-1">
          <FormMessage ok={state.ok} message={state.message} />
        </div>
      </div>
    </form>
  );
}

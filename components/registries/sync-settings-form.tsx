'use client';
import { useQueryClient } from '@tanstack/react-query';
import { CalendarClock, Save } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/actions';
import { updateSyncSettingsAction, type SyncSettings } from '@/lib/registries/actions';
import { registryKeys } from '@/lib/registries/client-queries';
import { firstIssue, showLive } from '@/lib/registries/form-checks';
import { CONTINUOUS_SCHEDULE, LOG_LEVELS, describeSchedule, isContinuous, syncWindowError } from '@/lib/registries/rules';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { mergeErrors, useFieldFeedback } from './use-field-feedback';

const fields = createConnectedRegistryInput.shape;

/** Edits the schedule, window, message TTL, log level and login server of a connected registry. */
export function SyncSettingsForm({ registry, name, initial }: { registry: string; name: string; initial: SyncSettings }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState(initial);
  const [state, setState] = useState<ActionState>({ ok: false });
  const [pending, startTransition] = useTransition();
  const feedback = useFieldFeedback(state);

  const set = (field: keyof SyncSettings) => (e: { target: { value: string } }) => {
    setV((prev) => ({ ...prev, [field]: e.target.value }));
    feedback.markEdited(field);
    if (state.message) setState((s) => ({ ...s, message: undefined }));
  };
  const schedule = v.syncSchedule.trim() || CONTINUOUS_SCHEDULE;
  const scheduleIssue = firstIssue(fields.syncSchedule, schedule);
  const live = {
    syncSchedule: v.syncSchedule.trim() ? scheduleIssue : null,
    syncWindow: scheduleIssue ? null : syncWindowError(schedule, v.syncWindow.trim().toUpperCase() || null),
    syncMessageTtl: firstIssue(fields.syncMessageTtl, v.syncMessageTtl),
    loginServer: showLive(v.loginServer, true, /[\s/]/) ? firstIssue(fields.loginServer, v.loginServer) : 'Enter the login server.',
  };
  const dirty = (Object.keys(initial) as (keyof SyncSettings)[]).some((k) => (initial[k] ?? '') !== (v[k] ?? ''));

  function save() {
    startTransition(async () => {
      const result = await updateSyncSettingsAction(registry, name, { ...v, syncSchedule: schedule });
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
      <TextField
        label="Sync schedule (cron)"
        name="syncSchedule"
        value={v.syncSchedule}
        onChange={set('syncSchedule')}
        spellCheck={false}
        className="sm:col-span-2"
        hint={
          <span className="inline-flex items-center gap-1.5" aria-live="polite">
            <CalendarClock size={13} aria-hidden />
            {scheduleIssue ? 'Minute, hour, day of month, month, day of week.' : describeSchedule(schedule)}
          </span>
        }
        errors={mergeErrors(live.syncSchedule, feedback.serverErrors('syncSchedule'))}
      />
      <TextField
        label={isContinuous(schedule) ? 'Sync window (optional)' : 'Sync window'}
        name="syncWindow"
        value={v.syncWindow}
        onChange={set('syncWindow')}
        placeholder="PT3H"
        spellCheck={false}
        hint={isContinuous(schedule) ? 'Not needed while it syncs continuously.' : 'Required: 1 hour (PT1H) to 7 days (P7D).'}
        errors={mergeErrors(live.syncWindow, feedback.serverErrors('syncWindow'))}
      />
      <TextField
        label="Message TTL"
        name="syncMessageTtl"
        value={v.syncMessageTtl}
        onChange={set('syncMessageTtl')}
        spellCheck={false}
        hint="1 day (P1D) to 90 days (P90D)."
        errors={mergeErrors(live.syncMessageTtl, feedback.serverErrors('syncMessageTtl'))}
      />
      <SelectField label="Log level" name="logLevel" value={v.logLevel} onChange={set('logLevel')} errors={feedback.serverErrors('logLevel')}>
        {LOG_LEVELS.map((l) => (
          <option key={l}>{l}</option>
        ))}
      </SelectField>
      <TextField
        label="Login server"
        name="loginServer"
        value={v.loginServer}
        onChange={set('loginServer')}
        spellCheck={false}
        autoComplete="off"
        hint="Where on-premises clients log in; its children sync through it."
        errors={mergeErrors(live.loginServer, feedback.serverErrors('loginServer'))}
      />
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

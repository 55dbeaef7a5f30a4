'use client';
import { CalendarClock } from 'lucide-react';
import { SelectField, TextField } from '@/components/ui/field';
import { checkSchedule } from '@/lib/registries/form-checks';
import { LOG_LEVELS, describeSchedule, isContinuous } from '@/lib/registries/rules';

type SyncField = 'syncSchedule' | 'syncWindow' | 'syncMessageTtl' | 'logLevel';

/** A cron field whose hint describes the schedule as it is typed (or names the five fields while it is not valid). */
export function CronField({
  schedule,
  issue,
  ...field
}: Omit<Parameters<typeof TextField>[0], 'hint'> & { schedule: string; issue: string | null }) {
  return (
    <TextField
      spellCheck={false}
      {...field}
      hint={
        <span className="inline-flex items-center gap-1.5" aria-live="polite">
          <CalendarClock size={13} aria-hidden />
          {issue ? 'Minute, hour, day of month, month, day of week.' : describeSchedule(schedule)}
        </span>
      }
    />
  );
}

/**
 * The sync schedule (cron, described as it is typed), the sync window, the message TTL and the
 * log level of a connected registry: the fields its create form and its sync settings share.
 */
export function SyncScheduleFields({
  values,
  set,
  leave,
  errors,
  windowRequiredHint,
}: {
  values: Record<SyncField, string>;
  /** onChange of a field */
  set: (field: SyncField) => (e: { target: { value: string } }) => void;
  /** onBlur of the sync window, when its check waits for the user to leave it */
  leave?: (field: 'syncWindow') => () => void;
  errors: (field: SyncField) => string[] | undefined;
  /** the sync window's hint while the schedule is not continuous */
  windowRequiredHint: string;
}) {
  const { schedule, issue: scheduleIssue } = checkSchedule(values.syncSchedule);
  return (
    <>
      <CronField
        label="Sync schedule (cron)"
        name="syncSchedule"
        value={values.syncSchedule}
        onChange={set('syncSchedule')}
        className="sm:col-span-2"
        schedule={schedule}
        issue={scheduleIssue}
        errors={errors('syncSchedule')}
      />
      <TextField
        label={isContinuous(schedule) ? 'Sync window (optional)' : 'Sync window'}
        name="syncWindow"
        value={values.syncWindow}
        onChange={set('syncWindow')}
        onBlur={leave?.('syncWindow')}
        placeholder="PT3H"
        spellCheck={false}
        hint={isContinuous(schedule) ? 'Not needed while it syncs continuously.' : windowRequiredHint}
        errors={errors('syncWindow')}
      />
      <TextField
        label="Message TTL"
        name="syncMessageTtl"
        value={values.syncMessageTtl}
        onChange={set('syncMessageTtl')}
        spellCheck={false}
        hint="1 day (P1D) to 90 days (P90D)."
        errors={errors('syncMessageTtl')}
      />
      <SelectField label="Log level" name="logLevel" value={values.logLevel} onChange={set('logLevel')} errors={errors('logLevel')}>
        {LOG_LEVELS.map((l) => (
          <option key={l}>{l}</option>
        ))}
      </SelectField>
    </>
  );
}

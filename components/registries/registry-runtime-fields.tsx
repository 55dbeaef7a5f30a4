'use client';
import { SelectField } from '@/components/ui/field';
import { cronError } from '@/lib/registries/rules';
import { CronField } from './sync-schedule-fields';

export type RuntimeField = 'tls' | 'auditLogStatus' | 'gcEnabled' | 'gcSchedule';

/**
 * How the on-premises registry runs: its login server's TLS, its audit log and its garbage
 * collection — the fields the create form and the sync settings share. `gcEnabled` is 'true' or
 * 'false', and is submitted under that name with the form.
 */
export function RegistryRuntimeFields({
  values,
  set,
  errors,
}: {
  values: Record<RuntimeField, string>;
  set: (field: RuntimeField) => (e: { target: { value: string } }) => void;
  errors: (field: Exclude<RuntimeField, 'gcEnabled'>) => string[] | undefined;
}) {
  return (
    <>
      <SelectField
        label="TLS"
        name="tls"
        value={values.tls}
        onChange={set('tls')}
        hint={
          values.tls === 'Enabled'
            ? 'Of its login server: clients and children reach it over https; the on-premises registry needs a certificate.'
            : 'Plain http: clients must trust it as an insecure registry. Only on a trusted network.'
        }
        errors={errors('tls')}
      >
        <option value="Enabled">Enabled (https)</option>
        <option value="Disabled">Disabled (http)</option>
      </SelectField>
      <SelectField
        label="Audit log"
        name="auditLogStatus"
        value={values.auditLogStatus}
        onChange={set('auditLogStatus')}
        hint="Whether the on-premises registry keeps an audit log of client operations."
        errors={errors('auditLogStatus')}
      >
        <option value="Enabled">Enabled</option>
        <option value="Disabled">Disabled</option>
      </SelectField>
      <fieldset className="grid grid-cols-1 gap-4 rounded-md border border-slate-200 dark:border-slate-800 p-4 sm:col-span-2 sm:grid-cols-2">
        <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-300">Garbage collection</legend>
        <label className="flex items-center gap-2 self-start text-sm text-slate-700 dark:text-slate-300 sm:mt-7">
          <input
            type="checkbox"
            checked={values.gcEnabled === 'true'}
            onChange={(e) => set('gcEnabled')({ target: { value: String(e.target.checked) } })}
          />
          Collect garbage on the on-premises registry
        </label>
        <input type="hidden" name="gcEnabled" value={values.gcEnabled} />
        <CronField
          label="Garbage collection schedule (cron)"
          name="gcSchedule"
          value={values.gcSchedule}
          onChange={set('gcSchedule')}
          disabled={values.gcEnabled !== 'true'}
          schedule={values.gcSchedule.trim()}
          issue={cronError(values.gcSchedule.trim())}
          errors={errors('gcSchedule')}
        />
      </fieldset>
    </>
  );
}

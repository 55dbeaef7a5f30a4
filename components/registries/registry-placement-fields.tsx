'use client';
// The new-registry form's first section: its name, its place in the hierarchy (parent, and how it
// reaches it), its mode and its login server. Parent and mode cannot change later.
import { clsx } from 'clsx';
import { ChoiceCards, type Choice } from '@/components/ui/choice-cards';
import { FieldErrors, SelectField, TextField } from '@/components/ui/field';
import { LoginServerSharingNote } from './login-server-sharing-note';
import { ParentSearchField } from './parent-search-field';
import { RegistryNameField } from './registry-name-field';

type Mode = 'ReadWrite' | 'ReadOnly';
type Field = 'name' | 'parent' | 'parentProtocol' | 'mode' | 'loginServer';

const modes: Choice<Mode>[] = [
  { value: 'ReadWrite', title: 'ReadWrite', text: 'Clients pull and push; changes sync up to the parent.' },
  { value: 'ReadOnly', title: 'ReadOnly', text: 'A pull-only mirror. Accepts only read-only client tokens.' },
];

export function RegistryPlacementFields({
  registry,
  parents,
  allParents,
  onParentsFound,
  values,
  set,
  leave,
  errors,
  modeErrors,
  modeHint,
  modeWarning,
}: {
  registry: string;
  parents: { name: string; mode: Mode }[];
  /** false: too many to list, the parent is searched by name */
  allParents: boolean;
  onParentsFound: (parents: { name: string; mode: Mode }[]) => void;
  values: Record<Exclude<Field, 'mode'>, string> & { mode: Mode };
  set: (field: Field) => (e: { target: { value: string } }) => void;
  leave: (field: 'name' | 'loginServer') => () => void;
  errors: (field: Exclude<Field, 'mode'>) => string[] | undefined;
  /** the server's errors of the mode */
  modeErrors: string[] | undefined;
  /** what the mode's choice means under the chosen parent */
  modeHint: string;
  /** the hint warns: the parent refuses that mode */
  modeWarning: boolean;
}) {
  return (
    <>
      <RegistryNameField value={values.name} onChange={set('name')} onBlur={leave('name')} placeholder="edge01" errors={errors('name')} />
      {allParents ? (
        <SelectField
          label="Parent"
          name="parent"
          value={values.parent}
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
      ) : (
        <ParentSearchField
          registry={registry}
          value={values.parent}
          onChange={set('parent')}
          errors={errors('parent')}
          onFound={onParentsFound}
        />
      )}
      {values.parent ? (
        <SelectField
          label="Parent endpoint protocol"
          name="parentProtocol"
          value={values.parentProtocol}
          onChange={set('parentProtocol')}
          errors={errors('parentProtocol')}
          hint={`How it reaches ${values.parent}, in its connection string.`}
        >
          <option value="">As {values.parent}’s TLS says</option>
          <option value="https">https</option>
          <option value="http">http</option>
        </SelectField>
      ) : (
        <p className="self-end text-xs text-slate-500 dark:text-slate-400">It reaches {registry}’s data endpoint over https.</p>
      )}
      <fieldset className="sm:col-span-2" aria-describedby="mode-error mode-hint">
        <legend className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">Mode</legend>
        <ChoiceCards choices={modes} value={values.mode} onChange={(mode) => set('mode')({ target: { value: mode } })} name="mode" />
        <p
          id="mode-hint"
          className={clsx('mt-1 text-xs', modeWarning ? 'text-amber-700 dark:text-amber-300' : 'text-slate-500 dark:text-slate-400')}
        >
          {modeErrors ? null : modeHint}
        </p>
        <FieldErrors id="mode-error" errors={modeErrors} />
      </fieldset>
      <TextField
        label="Login server"
        name="loginServer"
        value={values.loginServer}
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
      <LoginServerSharingNote value={values.loginServer} registry={registry} name={values.name} />
    </>
  );
}

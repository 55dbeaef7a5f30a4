'use client';
// The new-registry form's "What it syncs": repositories (Canopy makes its sync token and sync
// scope map) or an existing token to adopt as its sync token, and the client tokens it accepts.
import { ChoiceCards, type Choice } from '@/components/ui/choice-cards';
import { TextAreaField } from '@/components/ui/field';
import { splitList } from '@/lib/registries/form-checks';
import { ClientTokenPicker } from './client-token-picker';
import { SyncTokenPicker } from './sync-token-picker';

export type SyncSource = 'repositories' | 'token';

const syncSources: Choice<SyncSource>[] = [
  { value: 'repositories', title: 'New sync token', text: 'Say what it syncs; Canopy makes its sync token and sync scope map.' },
  { value: 'token', title: 'Use an existing token', text: 'Adopt a token of yours: its scope map says what it syncs.' },
];

export function SyncSourceFields({
  registry,
  values,
  set,
  errors,
  syncSource,
  onSyncSource,
  syncToken,
  onSyncToken,
  clientTokens,
  onClientTokens,
}: {
  registry: string;
  values: { name: string; mode: 'ReadWrite' | 'ReadOnly'; repositories: string };
  set: (field: 'repositories') => (e: { target: { value: string } }) => void;
  errors: (field: 'repositories' | 'syncToken' | 'clientTokens') => string[] | undefined;
  syncSource: SyncSource;
  onSyncSource: (source: SyncSource) => void;
  syncToken: string;
  onSyncToken: (name: string) => void;
  clientTokens: string[];
  onClientTokens: (names: string[]) => void;
}) {
  const repositories = splitList(values.repositories);
  return (
    <>
      <fieldset className="sm:col-span-2">
        <legend className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">Sync token</legend>
        <input type="hidden" name="syncSource" value={syncSource} />
        <ChoiceCards choices={syncSources} value={syncSource} onChange={onSyncSource} />
      </fieldset>
      {syncSource === 'repositories' ? (
        <TextAreaField
          label="Repositories"
          name="repositories"
          value={values.repositories}
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
            target={{ name: values.name.trim(), mode: values.mode, clientTokens }}
            value={syncToken}
            onChange={onSyncToken}
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
          onChange={onClientTokens}
          readOnlyOnly={values.mode === 'ReadOnly'}
          hint={
            values.mode === 'ReadOnly'
              ? 'A ReadOnly registry accepts only tokens whose scope map only reads.'
              : 'The tokens on-premises clients log in with.'
          }
          errors={errors('clientTokens')}
        />
      </div>
    </>
  );
}

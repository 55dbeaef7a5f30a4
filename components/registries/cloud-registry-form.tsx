'use client';
import { Cloud } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { initialActionState } from '@/lib/actions';
import { createCloudRegistryAction, type CloudRegistryFormState } from '@/lib/registries/actions';
import { firstIssue, liveHostIssue, liveNameIssue, showLive } from '@/lib/registries/form-checks';
import { defaultDataEndpoint } from '@/lib/registries/rules';
import { createCloudRegistryInput } from '@/lib/registries/schemas';
import { RegistryNameField } from './registry-name-field';
import { mergeErrors, submitWithoutReset, useFieldFeedback, useFieldValues } from './use-field-feedback';

const fields = createCloudRegistryInput.shape;

/** Creates a cloud registry (the root of a hierarchy), then shows its hierarchy. */
export function CloudRegistryForm({ onCreated }: { onCreated?: () => void }) {
  const router = useRouter();
  // navigate from the action itself: the page refreshed by the action may no longer show this form
  const [state, formAction, pending] = useActionState<CloudRegistryFormState, FormData>(async (prev, formData) => {
    const result = await createCloudRegistryAction(prev, formData);
    if (result.ok && result.data) {
      onCreated?.();
      router.push(`/hierarchy?registry=${encodeURIComponent(result.data.name)}`);
    }
    return result;
  }, initialActionState);
  const feedback = useFieldFeedback(state);
  const submit = submitWithoutReset(formAction);
  const { values, set, leave } = useFieldValues({ name: '', loginServer: '', region: '', dataEndpoint: '' }, feedback);

  const live = {
    name: liveNameIssue(values.name, feedback.hasLeft('name')),
    loginServer: liveHostIssue(values.loginServer, feedback.hasLeft('loginServer')),
    region: showLive(values.region, feedback.hasLeft('region'), /[^a-z0-9]/) ? firstIssue(fields.region, values.region) : null,
    dataEndpoint: liveHostIssue(values.dataEndpoint, feedback.hasLeft('dataEndpoint')),
  };
  const derivable = !firstIssue(fields.loginServer, values.loginServer) && !firstIssue(fields.region, values.region);
  const derived = derivable ? defaultDataEndpoint(values.loginServer.trim().toLowerCase(), values.region.trim()) : null;

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4 sm:grid-cols-2" aria-label="Add a cloud registry" noValidate>
      <RegistryNameField
        value={values.name}
        onChange={set('name')}
        onBlur={leave('name')}
        placeholder="contoso"
        errors={mergeErrors(live.name, feedback.serverErrors('name'))}
      />
      <TextField
        label="Region"
        name="region"
        value={values.region}
        onChange={set('region')}
        onBlur={leave('region')}
        placeholder="westus2"
        autoComplete="off"
        required
        errors={mergeErrors(live.region, feedback.serverErrors('region'))}
      />
      <TextField
        label="Login server"
        name="loginServer"
        value={values.loginServer}
        onChange={set('loginServer')}
        onBlur={leave('loginServer')}
        placeholder="contoso.azurecr.io"
        autoComplete="off"
        spellCheck={false}
        required
        hint="Where clients and sync tokens authenticate."
        errors={mergeErrors(live.loginServer, feedback.serverErrors('loginServer'))}
      />
      <TextField
        label="Data endpoint (optional)"
        name="dataEndpoint"
        value={values.dataEndpoint}
        onChange={set('dataEndpoint')}
        onBlur={leave('dataEndpoint')}
        placeholder={derived ?? 'derived from the login server and region'}
        autoComplete="off"
        spellCheck={false}
        hint={
          derived ? (
            <>
              Leave empty for the default, <code className="font-mono text-slate-700">{derived}</code>.
            </>
          ) : (
            'Leave empty to derive it: <name>.<region>.data.<rest of the login server>.'
          )
        }
        errors={mergeErrors(live.dataEndpoint, feedback.serverErrors('dataEndpoint'))}
      />
      <div className="sm:col-span-2">
        <FormMessage ok={state.ok} message={state.ok ? undefined : state.message} />
      </div>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          <Cloud size={15} aria-hidden /> {pending ? 'Adding…' : 'Add cloud registry'}
        </Button>
      </div>
    </form>
  );
}

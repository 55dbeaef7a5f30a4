'use client';
import { Cloud } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { initialActionState } from '@/lib/actions';
import { createCloudRegistryAction, type CloudRegistryFormState } from '@/lib/registries/actions';
import { liveNameIssue } from '@/lib/registries/form-checks';
import { CloudRegistryEndpointFields } from './cloud-registry-fields';
import { RegistryNameField } from './registry-name-field';
import { mergeErrors, submitWithoutReset, useFieldFeedback, useFieldValues } from './use-field-feedback';

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

  return (
    <form onSubmit={submit} className="grid grid-cols-1 gap-4 sm:grid-cols-2" aria-label="Add a cloud registry" noValidate>
      <RegistryNameField
        value={values.name}
        onChange={set('name')}
        onBlur={leave('name')}
        placeholder="contoso"
        errors={mergeErrors(liveNameIssue(values.name, feedback.hasLeft('name')), feedback.serverErrors('name'))}
      />
      <CloudRegistryEndpointFields
        values={values}
        set={set}
        leave={leave}
        feedback={feedback}
        dataEndpointHint={(derived) =>
          derived ? (
            <>
              Leave empty for the default, <code className="font-mono text-slate-700 dark:text-slate-300">{derived}</code>.
            </>
          ) : (
            'Leave empty to derive it: <name>.<region>.data.<rest of the login server>.'
          )
        }
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

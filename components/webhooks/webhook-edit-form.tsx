'use client';
import { Save } from 'lucide-react';
import { useActionState, useState } from 'react';
import { submitWithoutReset, useFieldFeedback, useFieldValues } from '@/components/registries/use-field-feedback';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { bannerMessage, initialActionState } from '@/lib/actions';
import { editWebhookAction, type WebhookEditState } from '@/lib/webhooks/actions';
import type { WebhookDto } from '@/lib/webhooks/schemas';
import { EventChoices } from './event-choices';
import { ExpiryWarningDaysField, WebhookUrlField, eventFieldErrors } from './webhook-fields';

type Editable = Pick<WebhookDto, 'name' | 'url' | 'events' | 'expiryWarningDays' | 'enabled'>;

/** Changes an endpoint's URL, events, expiry warning and enabled state, through the same use case as PATCH R/webhooks/{name}. */
export function WebhookEditForm({ registry, webhook }: { registry: string; webhook: Editable }) {
  const [state, formAction, pending] = useActionState<WebhookEditState, FormData>(
    (prev, formData) => editWebhookAction(registry, webhook.name, prev, formData),
    initialActionState,
  );
  const feedback = useFieldFeedback(state);
  const { values, set, leave } = useFieldValues({ url: webhook.url, expiryWarningDays: String(webhook.expiryWarningDays) }, feedback);
  const [events, setEvents] = useState(webhook.events);
  const [enabled, setEnabled] = useState(webhook.enabled);
  const { keys: eventKeys, errors: eventErrors } = eventFieldErrors(state.fieldErrors);

  return (
    <form onSubmit={submitWithoutReset(formAction)} className="space-y-4" aria-label={`Edit ${webhook.name}`} noValidate>
      <div className="grid gap-4 md:grid-cols-2">
        <WebhookUrlField value={values.url} onChange={set('url')} onBlur={leave('url')} errors={feedback.serverErrors('url')} />
        <ExpiryWarningDaysField
          value={values.expiryWarningDays}
          onChange={set('expiryWarningDays')}
          onBlur={leave('expiryWarningDays')}
          errors={feedback.serverErrors('expiryWarningDays')}
        />
      </div>
      {events.map((type) => (
        <input key={type} type="hidden" name="events" value={type} />
      ))}
      <EventChoices value={events} onChange={setEvents} errors={eventErrors} />
      <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
        <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled: deliver events to this URL
      </label>
      <FormMessage ok={state.ok} message={state.ok ? state.message : bannerMessage(state, ['url', 'expiryWarningDays', ...eventKeys])} />
      <Button type="submit" disabled={pending}>
        <Save size={15} aria-hidden /> {pending ? 'Saving…' : 'Save changes'}
      </Button>
    </form>
  );
}

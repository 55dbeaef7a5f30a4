'use client';
import { Plus } from 'lucide-react';
import { useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { createWebhookAction } from '@/lib/webhooks/actions';
import { EventChoices } from './event-choices';
import { SecretDialog } from './secret-dialog';
import { ExpiryWarningDaysField, WebhookUrlField, eventFieldErrors } from './webhook-fields';

export function WebhookCreateForm({ registry }: { registry: string }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const [days, setDays] = useState('7');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [revealed, setRevealed] = useState<{ name: string; secret: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createWebhookAction(registry, { name, url, events, expiryWarningDays: days });
      setFieldErrors(result.fieldErrors ?? {});
      setMessage({ ok: result.ok, text: result.message ?? '' });
      if (result.ok && result.data) {
        setRevealed(result.data);
        setName('');
        setUrl('');
      }
    });
  }

  const eventErrors = eventFieldErrors(fieldErrors).errors;
  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="New webhook">
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          label="Name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="ops-alerts"
          errors={fieldErrors.name}
          required
        />
        <WebhookUrlField value={url} onChange={(e) => setUrl(e.target.value)} errors={fieldErrors.url} required />
        <ExpiryWarningDaysField value={days} onChange={(e) => setDays(e.target.value)} errors={fieldErrors.expiryWarningDays} />
      </div>
      <EventChoices value={events} onChange={setEvents} errors={eventErrors} />
      <FormMessage ok={message?.ok} message={message?.text} />
      <Button type="submit" disabled={pending || !name.trim() || !url.trim()}>
        <Plus size={15} aria-hidden /> Create webhook
      </Button>
      <SecretDialog
        title={`Secret of webhook "${revealed?.name ?? ''}"`}
        secret={revealed?.secret ?? null}
        onClose={() => setRevealed(null)}
      />
    </form>
  );
}

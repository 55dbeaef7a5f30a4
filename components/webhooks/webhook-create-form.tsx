'use client';
import { Plus } from 'lucide-react';
import { useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { createWebhookAction } from '@/lib/webhooks/actions';
import { EventChoices } from './event-choices';
import { SecretDialog } from './secret-dialog';

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

  // errors of single list entries (events.0) belong to the list
  const eventErrors = Object.entries(fieldErrors)
    .filter(([k]) => k === 'events' || k.startsWith('events.'))
    .flatMap(([, v]) => v);
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
        <TextField
          label="URL"
          name="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://alerts.example.com/canopy"
          errors={fieldErrors.url}
          hint="http or https; private and loopback addresses only with CANOPY_WEBHOOK_ALLOW_PRIVATE=true"
          required
        />
        <TextField
          label="Warn of expiring passwords (days before)"
          name="expiryWarningDays"
          type="number"
          min={1}
          max={90}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          errors={fieldErrors.expiryWarningDays}
        />
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

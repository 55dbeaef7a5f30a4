'use client';
import type { ChangeEventHandler } from 'react';
import { TextField } from '@/components/ui/field';

type FieldProps = { value: string; onChange: ChangeEventHandler<HTMLInputElement>; onBlur?: () => void; errors?: string[] };

/** An endpoint's URL, in the create and the edit form. */
export function WebhookUrlField(props: FieldProps & { required?: boolean }) {
  return (
    <TextField
      label="URL"
      name="url"
      placeholder="https://alerts.example.com/canopy"
      hint="http or https; private and loopback addresses only with CANOPY_WEBHOOK_ALLOW_PRIVATE=true"
      {...props}
    />
  );
}

/** How many days before a password expires the endpoint hears of it. */
export function ExpiryWarningDaysField(props: FieldProps) {
  return <TextField label="Warn of expiring passwords (days before)" name="expiryWarningDays" type="number" min={1} max={90} {...props} />;
}

/** The field errors that belong to the events list: the list's own and its entries' (`events.0`). */
export function eventFieldErrors(fieldErrors: Record<string, string[]> | undefined): { keys: string[]; errors: string[] } {
  const keys = Object.keys(fieldErrors ?? {}).filter((k) => k === 'events' || k.startsWith('events.'));
  return { keys, errors: keys.flatMap((k) => fieldErrors![k]) };
}

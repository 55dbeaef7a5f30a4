'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { createScopeMapAction } from '@/lib/scope-maps/actions';
import { scopeMapHref } from '@/lib/tokens/hrefs';
import { ActionMatrix, type RegistryOption } from './action-matrix';
import { ScopeMapNameFields } from './scope-map-name-fields';

export function ScopeMapCreateForm({ registry, connectedRegistries }: { registry: string; connectedRegistries: RegistryOption[] }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [actions, setActions] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createScopeMapAction(registry, { name, description: description || undefined, actions });
      if (result.ok && result.data) {
        router.push(scopeMapHref(registry, result.data.name));
        return;
      }
      setFieldErrors(result.fieldErrors ?? {});
      setMessage(result.message);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <section className="grid gap-4 rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm sm:grid-cols-2">
        <ScopeMapNameFields
          name={name}
          onName={setName}
          description={description}
          onDescription={setDescription}
          fieldErrors={fieldErrors}
          placeholder="line-1-pull"
          hint="5–60 letters, digits, “-” and “_”."
          required
        />
      </section>
      <section className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-5 shadow-sm">
        <ActionMatrix value={actions} onChange={setActions} connectedRegistries={connectedRegistries} errors={fieldErrors.actions} />
      </section>
      <FormMessage message={message} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create scope map'}
      </Button>
    </form>
  );
}

'use client';
import { useActionState, useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { bannerMessage } from '@/lib/actions';
import { Table, Td, Th } from '@/components/ui/table';
import { createAdminAction, updateAdminAction, type CreateAdminState } from '@/lib/admins/actions';
import type { AdminDto } from '@/lib/admins/schemas';

const roles = ['Owner', 'Contributor', 'Reader'] as const;

export function AdminsPanel({ admins, currentEmail }: { admins: AdminDto[]; currentEmail: string }) {
  const [state, formAction, creating] = useActionState<CreateAdminState, FormData>(createAdminAction, { ok: false });
  const [rowMessage, setRowMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();
  const v = state.values ?? {};

  function update(email: string, patch: { role?: string; disabled?: boolean }) {
    startTransition(async () => {
      const result = await updateAdminAction(email, patch);
      setRowMessage({ ok: result.ok, text: result.message ?? '' });
    });
  }

  return (
    <div className="space-y-6">
      <Table caption="Admins">
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Name</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Last sign-in</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {admins.map((a) => (
            <tr key={a.email} data-testid="admin-row">
              <Td className="font-medium">{a.email}</Td>
              <Td>{a.name}</Td>
              <Td>
                <label className="sr-only" htmlFor={`role-${a.email}`}>
                  Role of {a.email}
                </label>
                <select
                  id={`role-${a.email}`}
                  value={a.role}
                  disabled={pending}
                  onChange={(e) => update(a.email, { role: e.target.value })}
                  className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-2 py-1 text-sm"
                >
                  {roles.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </Td>
              <Td>{a.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</Td>
              <Td>{a.lastSignInAt ? a.lastSignInAt.slice(0, 16).replace('T', ' ') : 'never'}</Td>
              <Td>
                {a.email !== currentEmail && (
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={pending}
                    onClick={() => update(a.email, { disabled: !a.disabled })}
                    aria-label={`${a.disabled ? 'Enable' : 'Disable'} ${a.email}`}
                  >
                    {a.disabled ? 'Enable' : 'Disable'}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <FormMessage ok={rowMessage?.ok} message={rowMessage?.text} />

      <form
        action={formAction}
        className="grid max-w-2xl grid-cols-1 gap-4 rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-4 sm:grid-cols-2"
      >
        <h2 className="text-sm font-semibold sm:col-span-2">Add an admin</h2>
        <TextField label="Email" name="email" type="email" defaultValue={v.email} errors={state.fieldErrors?.email} required />
        <TextField label="Name" name="name" defaultValue={v.name} errors={state.fieldErrors?.name} required />
        <TextField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={state.fieldErrors?.password}
          hint="At least 12 characters. Tell it to them over a safe channel."
          required
        />
        <SelectField label="Role" name="role" defaultValue={v.role ?? 'Reader'} errors={state.fieldErrors?.role}>
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </SelectField>
        <div className="sm:col-span-2">
          <FormMessage ok={state.ok} message={state.ok ? state.message : bannerMessage(state, ['email', 'name', 'password', 'role'])} />
        </div>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={creating}>
            {creating ? 'Adding…' : 'Add admin'}
          </Button>
        </div>
      </form>
    </div>
  );
}

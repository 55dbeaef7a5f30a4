'use server';
import { revalidatePath } from 'next/cache';
import { formObject, runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import { createAdmin, updateAdmin } from './service';
import { createAdminInput, updateAdminInput } from './schemas';

export type CreateAdminState = ActionState<{ email: string }> & { values?: Record<string, string | undefined> };

export async function createAdminAction(_prev: CreateAdminState, formData: FormData): Promise<CreateAdminState> {
  const values = formObject(formData, ['email', 'name', 'password', 'role']);
  const result = await runAction(async () => {
    const actor = await actionActor();
    const admin = await createAdmin(actor, parseInput(createAdminInput, values));
    revalidatePath('/settings/admins');
    return { email: admin.email };
  }, `Added ${values.email}.`);
  // keep what the user typed on error, but never echo the password back
  return result.ok ? result : { ...result, values: { ...values, password: undefined } };
}

export async function updateAdminAction(email: string, patch: { role?: string; disabled?: boolean }): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await updateAdmin(actor, email, parseInput(updateAdminInput, patch));
    revalidatePath('/settings/admins');
    return undefined;
  }, `Updated ${email}.`);
}

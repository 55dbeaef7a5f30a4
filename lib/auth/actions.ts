'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/lib/actions';
import { parseInput } from '@/lib/errors';
import { createAccessToken, revokeAccessToken } from './access-tokens';
import { createAccessTokenInput } from './schemas';
import { actionActor } from './session';

export async function createAccessTokenAction(name: string): Promise<ActionState<{ name: string; token: string }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const created = await createAccessToken(actor, parseInput(createAccessTokenInput, { name }));
    revalidatePath('/settings');
    return { name: created.name, token: created.token };
  });
}

export async function revokeAccessTokenAction(name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await revokeAccessToken(actor, name);
    revalidatePath('/settings');
    return undefined;
  }, `Revoked ${name}.`);
}

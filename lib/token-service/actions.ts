'use server';
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import { rotateSigningKey, rotateSigningKeyInput } from './keys';

export async function rotateSigningKeyAction(delaySeconds: number): Promise<ActionState<{ kid: string; activatesAt: string }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const result = await rotateSigningKey(actor, parseInput(rotateSigningKeyInput, { delaySeconds }).delaySeconds);
    revalidatePath('/settings/token-service');
    return result;
  }, 'A new signing key is published. Put the new certificate bundle in your registries before it starts signing.');
}

'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import { rotateSigningKey } from './keys';

export async function rotateSigningKeyAction(delaySeconds: number): Promise<ActionState<{ kid: string; activatesAt: string }>> {
  return runAction(async () => {
    const actor = await actionActor('Owner');
    const result = await rotateSigningKey(actor, parseInput(z.number().int().min(0).max(30 * 86400), delaySeconds));
    revalidatePath('/settings/token-service');
    return result;
  }, 'A new signing key is published. Put the new certificate bundle in your registries before it starts signing.');
}

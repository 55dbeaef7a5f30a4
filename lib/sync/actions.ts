'use server';
// Server actions of sync history: thin adapters over service.ts.
import { z } from 'zod';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import { requestSync, type SyncRequestResult } from './service';

const pathName = z.string().trim().min(1).max(100);

/** Sync now, from the registry page or the tree's details panel. */
export async function syncNowAction(registry: string, name: string): Promise<ActionState<SyncRequestResult>> {
  return runAction(async () => {
    const actor = await actionActor();
    return requestSync(actor, parseInput(pathName, registry), parseInput(pathName, name));
  }, `Asked ${name} to sync now: its edge starts within seconds when it is online.`);
}

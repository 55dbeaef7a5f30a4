'use server';
// Server actions for scope maps: thin adapters over service.ts.
import { revalidatePath } from 'next/cache';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import { createScopeMapInput, updateScopeMapInput, type ScopeMapDto } from './schemas';
import { createScopeMap, deleteScopeMap, updateScopeMap } from './service';

/**
 * A scope map shows on its own pages, in token pages (its name and actions) and on the Overview;
 * a sync scope map also in its registry's and its ancestors' repositories.
 */
function revalidateScopeMapViews(map?: ScopeMapDto) {
  revalidatePath('/scope-maps', 'layout');
  revalidatePath('/tokens', 'layout');
  revalidatePath('/');
  if (map?.syncRegistry) {
    revalidatePath('/connected-registries', 'layout');
    revalidatePath('/hierarchy');
  }
}

export async function createScopeMapAction(
  registry: string,
  input: { name: string; description?: string; actions: string[] },
): Promise<ActionState<{ name: string }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const map = await createScopeMap(actor, registry, parseInput(createScopeMapInput, input));
    revalidateScopeMapViews();
    return { name: map.name };
  }, `Created scope map ${input.name}.`);
}

export async function updateScopeMapAction(
  registry: string,
  name: string,
  input: { addActions?: string[]; removeActions?: string[]; description?: string | null },
): Promise<ActionState<ScopeMapDto>> {
  return runAction(async () => {
    const actor = await actionActor();
    const map = await updateScopeMap(actor, registry, name, parseInput(updateScopeMapInput, input));
    revalidateScopeMapViews(map);
    return map;
  }, `Saved ${name}. Every token that uses it has the new actions now.`);
}

export async function deleteScopeMapAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deleteScopeMap(actor, registry, name);
    revalidateScopeMapViews();
    return undefined;
  }, `Deleted scope map ${name}.`);
}

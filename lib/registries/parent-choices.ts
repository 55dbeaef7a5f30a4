import 'server-only';
// The parents the new-registry form offers, at any size of hierarchy.
import { getDb } from '@/lib/db/client';
import { sameName } from '@/lib/db/like';

/** Up to this many connected registries, the new-registry form offers every one as a parent in a list. */
export const PARENT_LIST_UP_TO = 100;

export type ParentChoice = { name: string; mode: 'ReadWrite' | 'ReadOnly' };

/**
 * The parents the new-registry form offers: every connected registry of the cloud registry, by
 * name, when there are few (`all`); in a bigger hierarchy only the one `preset` names (the form
 * searches the rest as the user types: a list of thousands helps nobody and weighs the page).
 */
export async function parentChoices(registryName: string, preset?: string | null): Promise<{ all: boolean; parents: ParentChoice[] }> {
  const where = { cloudRegistry: { name: sameName(registryName) } };
  const select = { name: true, mode: true } as const;
  const rows = await getDb().connectedRegistry.findMany({ where, select, orderBy: { name: 'asc' }, take: PARENT_LIST_UP_TO + 1 });
  if (rows.length <= PARENT_LIST_UP_TO) return { all: true, parents: rows };
  const named = preset ? await getDb().connectedRegistry.findFirst({ where: { ...where, name: sameName(preset) }, select }) : null;
  return { all: false, parents: named ? [named] : [] };
}

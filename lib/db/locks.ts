import type { Tx } from './client';

/**
 * Serializes the changes to one cloud registry's hierarchy, tokens and scope maps. Every rule
 * that reads before it writes (unique names, ancestors' scope maps, ReadOnly checks) runs under
 * this lock, so two concurrent requests never interleave and never leave half-done state.
 */
export async function lockCloudRegistry(tx: Tx, cloudRegistryId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:registry'), hashtext(${cloudRegistryId}))`;
}

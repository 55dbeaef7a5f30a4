import 'server-only';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { transaction, type Tx } from '@/lib/db/client';
import { lockCloudRegistry } from '@/lib/db/locks';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { resolveCloudRegistry, type ResolvedCloudRegistry } from '../cloud-queries';

/**
 * The opening of every use case that changes something of one cloud registry: the actor's role
 * (the one place it is checked), one transaction, the registry (404 when missing) and its lock,
 * under which every read-then-write rule runs. `lock: false` for changes that need no
 * serialising with the hierarchy (queueing a webhook delivery).
 */
export async function withCloudRegistry<T>(
  actor: Actor,
  role: AdminRole,
  name: string,
  fn: (tx: Tx, cloud: ResolvedCloudRegistry) => Promise<T>,
  options: { lock?: boolean } = {},
): Promise<T> {
  requireRole(actor, role);
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, name);
    if (options.lock ?? true) await lockCloudRegistry(tx, cloud.id);
    return fn(tx, cloud);
  });
}

import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { transaction, type Tx } from '@/lib/db/client';
import { lockCloudRegistry } from '@/lib/db/locks';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { resolveCloudRegistry, type ResolvedCloudRegistry } from '../cloud-queries';

/** An audit event of the registry's: its target type is the action's first word (`scopeMap.delete` → scopeMap). */
export type CloudAudit = (
  action: string,
  targetName: string,
  details?: Prisma.InputJsonValue,
  /** the change concerns no more than these connected registries' own rows and configurations (AuditInput) */
  onlyConnectedRegistries?: string[],
) => Promise<void>;

/**
 * The opening of every use case that changes something of one cloud registry: the actor's role
 * (the one place it is checked), one transaction, the registry (404 when missing) and its lock,
 * under which every read-then-write rule runs. `lock: false` for changes that need no
 * serialising with the hierarchy (queueing a webhook delivery). `audit` records the change's
 * event in the same transaction, by the actor, in this registry.
 */
export async function withCloudRegistry<T>(
  actor: Actor,
  role: AdminRole,
  name: string,
  fn: (tx: Tx, cloud: ResolvedCloudRegistry, audit: CloudAudit) => Promise<T>,
  options: { lock?: boolean } = {},
): Promise<T> {
  requireRole(actor, role);
  return transaction(async (tx) => {
    const cloud = await resolveCloudRegistry(tx, name);
    if (options.lock ?? true) await lockCloudRegistry(tx, cloud.id);
    const audit: CloudAudit = (action, targetName, details, onlyConnectedRegistries) =>
      recordAudit(tx, actor, {
        action,
        targetType: action.split('.')[0],
        targetName,
        registry: cloud.name,
        details,
        onlyConnectedRegistries,
      });
    return fn(tx, cloud, audit);
  });
}

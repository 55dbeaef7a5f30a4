// Every change an admin makes is written as an audit event in the same transaction.
import 'server-only';
import { markChanged, type Tx } from '@/lib/db/client';
import type { Actor } from '@/lib/auth/roles';
import type { Prisma } from '@/lib/generated/prisma/client';
import { currentRequestId } from '@/lib/request-context';
import { queueAuditEvents } from '@/lib/webhooks/events';

export type AuditInput = {
  action: string;
  targetType: string;
  targetName: string;
  registry?: string | null;
  details?: Prisma.InputJsonValue;
  /**
   * The change concerns no more than these connected registries' own rows and configurations
   * (no token, scope map or other registry's configuration): caches and long polls then drop and
   * rebuild theirs alone. Left out: everything of the cloud registry.
   */
  onlyConnectedRegistries?: string[];
};

export async function recordAudit(tx: Tx, actor: Actor | 'system', event: AuditInput): Promise<void> {
  // what an admin changed is announced to caches and long polls once the transaction commits
  if (event.registry) markChanged(tx, event.registry, event.onlyConnectedRegistries);
  await tx.auditEvent.create({
    data: {
      actorType: actor === 'system' ? 'system' : 'admin',
      actorId: actor === 'system' ? null : actor.adminId,
      actorName: actor === 'system' ? 'system' : actor.email,
      action: event.action,
      targetType: event.targetType,
      targetName: event.targetName,
      registry: event.registry ?? null,
      details: event.details ?? {},
      requestId: currentRequestId() ?? null,
    },
  });
  // webhooks: the alert the change raises and the forwarded audit event, in the same transaction
  await queueAuditEvents(tx, actor, event);
}

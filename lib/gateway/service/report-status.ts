// POST …/status: a connected registry reports its connection state.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { durationSeconds } from '@/lib/registries/rules';
import { authorize, instanceOf, otherInstance } from '../caller';
import type { StatusInput } from '../schemas';

/**
 * POST …/status: the on-premises registry reports; this also sets its last activity time — to
 * the time the report was observed, for a report it queued while offline. A report older than
 * the registry's message TTL is refused, and one older than the last recorded activity changes
 * nothing (reports sent late never overwrite a newer state); `lastSyncTime` never moves back.
 * The caller is authenticated before the body is read (`readBody`), and a report from an
 * instance other than the one the registry is bound to is refused (409): only the active
 * deployment speaks for the registry.
 */
export async function reportStatus(
  headers: Headers,
  registryName: string,
  name: string,
  readBody: () => Promise<StatusInput>,
  now = new Date(),
) {
  const { registry, caller } = await authorize(headers, registryName, name, ['config/write', 'message/write'], now);
  const instanceId = instanceOf(headers, caller, registry);
  const input = await readBody();
  let at = now;
  if (input.observedTime) {
    const observed = new Date(input.observedTime);
    if (observed < now) at = observed;
    const { syncMessageTtl } = await getDb().connectedRegistry.findUniqueOrThrow({
      where: { id: registry.id },
      select: { syncMessageTtl: true },
    });
    const ttl = durationSeconds(syncMessageTtl) ?? 0;
    if (now.getTime() - at.getTime() > ttl * 1000) {
      throw ValidationError.field(
        'observedTime',
        `The report was observed at ${input.observedTime}, longer ago than ${registry.name}'s message TTL (${syncMessageTtl}).`,
      );
    }
  }
  // an ancestor relaying for its child may leave the instance out; the registry itself may not
  const boundHere: Prisma.ConnectedRegistryWhereInput = instanceId
    ? { activationStatus: 'Active', OR: [{ instanceId }, { instanceId: null }] }
    : {};
  const notLate: Prisma.ConnectedRegistryWhereInput = input.observedTime
    ? { OR: [{ lastActivityTime: null }, { lastActivityTime: { lte: at } }] }
    : {};
  const db = getDb();
  const where: Prisma.ConnectedRegistryWhereInput = { id: registry.id, AND: [boundHere, notLate] };
  const state = db.connectedRegistry.updateMany({
    where,
    data: {
      connectionState: input.connectionState,
      lastActivityTime: at,
      ...(input.version !== undefined ? { version: input.version } : {}),
      ...(input.statusDetails ? { statusDetails: input.statusDetails as Prisma.InputJsonValue } : {}),
    },
  });
  // lastSyncTime only moves forward: a late or replayed report (or one racing a sync-run report,
  // which sets it too) never moves it back. Same transaction, one round trip.
  const writes: Prisma.PrismaPromise<Prisma.BatchPayload>[] = [state];
  if (input.lastSyncTime) {
    const syncedAt = new Date(input.lastSyncTime);
    writes.push(
      db.connectedRegistry.updateMany({
        where: { ...where, OR: [{ lastSyncTime: null }, { lastSyncTime: { lt: syncedAt } }] },
        data: { lastSyncTime: syncedAt },
      }),
    );
  }
  const [{ count }] = await db.$transaction(writes);
  if (count === 0 && instanceId) {
    const current = await getDb().connectedRegistry.findUnique({
      where: { id: registry.id },
      select: { activationStatus: true, instanceId: true },
    });
    const bound = current?.activationStatus === 'Active' && (current.instanceId === null || current.instanceId === instanceId);
    if (!bound) throw otherInstance(registry.name, current?.activationStatus === 'Active' ? current.instanceId : null);
    // bound here, but a late report: it changes nothing
  }
}

// Detectors: conditions that no single change writes — a connected registry gone silent (or back),
// a password slot about to expire or expired, a registry's sync gone stale (./sync-events.ts). They run at least once a minute and at once after
// a change. Their event ids are derived from the condition, so every run and every instance
// computes the same id and the outbox's unique key lets it be queued once.
import 'server-only';
import { getDb, type Db } from '@/lib/db/client';
import { offlineCutoff } from '@/lib/registries/rules';
import {
  cloudEvent,
  connectedRegistryLink,
  connectedRegistrySubject,
  queueEvents,
  tokenLink,
  tokenSubject,
  type CloudEvent,
} from './events';
import { conditionEventId, wants } from './rules';
import { detectSyncStale } from './sync-events';

type Endpoint = { id: string; events: string[]; expiryWarningDays: number; createdAt: Date; cloudRegistryId: string };

/** Expired passwords are reported if they expired at most this long ago (and after the endpoint was made). */
const EXPIRED_LOOKBACK_MS = 7 * 24 * 3600_000;

async function endpointsByRegistry(db: Db): Promise<Map<string, Endpoint[]>> {
  const rows = await db.webhookEndpoint.findMany({
    where: { enabled: true },
    select: { id: true, events: true, expiryWarningDays: true, createdAt: true, cloudRegistryId: true },
  });
  const map = new Map<string, Endpoint[]>();
  for (const r of rows) map.set(r.cloudRegistryId, [...(map.get(r.cloudRegistryId) ?? []), r]);
  return map;
}

type RegistryRow = {
  id: string;
  name: string;
  cloudRegistryId: string;
  registry: string;
  lastActivityTime: Date;
  mode: string;
  loginServer: string;
  offlineSince: Date | null;
};

function registryEvent(r: RegistryRow, state: 'offline' | 'online', id: string, time: Date): CloudEvent {
  return cloudEvent(
    r.registry,
    `io.canopy.connectedRegistry.${state}`,
    connectedRegistrySubject(r.name),
    {
      connectedRegistry: {
        name: r.name,
        mode: r.mode,
        loginServer: r.loginServer,
        connectionState: state === 'offline' ? 'Offline' : 'Online',
        lastActivityTime: r.lastActivityTime.toISOString(),
      },
      link: connectedRegistryLink(r.registry, r.name),
    },
    { id, time },
  );
}

/**
 * Offline: a registry silent for 3 minutes, once per silence (the id is made of the registry
 * and its last activity time). Online: such a registry that has reported again. Nothing is
 * reported offline before `quietUntil` (Canopy just started or regained its database, and the
 * registries need the chance to report first).
 */
export async function detectConnectivity(db: Db, now: Date, quietUntil: Date): Promise<number> {
  const endpoints = await endpointsByRegistry(db);
  const cutoff = offlineCutoff(now.getTime());
  let queued = 0;
  if (now >= quietUntil) {
    const silent = await db.$queryRaw<RegistryRow[]>`
      SELECT c."id", c."name", c."cloudRegistryId", r."name" AS "registry", c."lastActivityTime", c."mode"::text AS "mode", c."loginServer", w."offlineSince"
      FROM "ConnectedRegistry" c
      JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
      JOIN "Token" t ON t."id" = c."syncTokenId"
      LEFT JOIN "WebhookRegistryWatch" w ON w."connectedRegistryId" = c."id"
      WHERE c."lastActivityTime" < ${cutoff} AND t."status" = 'enabled'
        AND (w."offlineSince" IS NULL OR w."offlineSince" <> c."lastActivityTime")`;
    for (const r of silent) {
      const event = registryEvent(r, 'offline', conditionEventId('connectedRegistry.offline', r.id, r.lastActivityTime.toISOString()), now);
      // the watch row and the events commit together: a crash between them cannot lose the event
      await db.$transaction(async (tx) => {
        await tx.webhookRegistryWatch.upsert({
          where: { connectedRegistryId: r.id },
          create: { connectedRegistryId: r.id, offlineSince: r.lastActivityTime },
          update: { offlineSince: r.lastActivityTime },
        });
        queued += await queueEvents(tx, endpoints.get(r.cloudRegistryId) ?? [], [event]);
      });
    }
  }
  const back = await db.$queryRaw<RegistryRow[]>`
    SELECT c."id", c."name", c."cloudRegistryId", r."name" AS "registry", c."lastActivityTime", c."mode"::text AS "mode", c."loginServer", w."offlineSince"
    FROM "WebhookRegistryWatch" w
    JOIN "ConnectedRegistry" c ON c."id" = w."connectedRegistryId"
    JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
    WHERE w."offlineSince" IS NOT NULL AND c."lastActivityTime" > w."offlineSince" AND c."lastActivityTime" >= ${cutoff}`;
  for (const r of back) {
    const event = registryEvent(r, 'online', conditionEventId('connectedRegistry.online', r.id, r.offlineSince!.toISOString()), now);
    await db.$transaction(async (tx) => {
      await tx.webhookRegistryWatch.update({ where: { connectedRegistryId: r.id }, data: { offlineSince: null } });
      queued += await queueEvents(tx, endpoints.get(r.cloudRegistryId) ?? [], [event]);
    });
  }
  return queued;
}

/**
 * passwordExpiring: a slot expires within the endpoint's expiryWarningDays — once per slot
 * (a regenerated slot is a new one) and threshold. passwordExpired: once per slot.
 */
export async function detectPasswordExpiry(db: Db, now: Date): Promise<number> {
  const endpoints = [...(await endpointsByRegistry(db)).values()].flat();
  let queued = 0;
  for (const endpoint of endpoints) {
    const expiring = wants(endpoint.events, 'io.canopy.token.passwordExpiring');
    const expired = wants(endpoint.events, 'io.canopy.token.passwordExpired');
    if (!expiring && !expired) continue;
    const horizon = new Date(now.getTime() + endpoint.expiryWarningDays * 86400_000);
    const since = new Date(Math.max(endpoint.createdAt.getTime(), now.getTime() - EXPIRED_LOOKBACK_MS));
    const slots = await db.tokenPassword.findMany({
      where: {
        token: { cloudRegistryId: endpoint.cloudRegistryId },
        OR: [...(expiring ? [{ expiry: { gt: now, lte: horizon } }] : []), ...(expired ? [{ expiry: { lte: now, gt: since } }] : [])],
      },
      select: {
        slot: true,
        createdAt: true,
        expiry: true,
        token: { select: { id: true, name: true, syncRegistry: { select: { name: true } }, cloudRegistry: { select: { name: true } } } },
      },
    });
    const events = slots.map((s) => {
      const isExpired = s.expiry! <= now;
      const registry = s.token.cloudRegistry.name;
      const key = [s.token.id, s.slot, s.createdAt.toISOString(), s.expiry!.toISOString()];
      const id = isExpired
        ? conditionEventId('token.passwordExpired', ...key)
        : conditionEventId('token.passwordExpiring', ...key, String(endpoint.expiryWarningDays));
      return cloudEvent(
        registry,
        isExpired ? 'io.canopy.token.passwordExpired' : 'io.canopy.token.passwordExpiring',
        `${tokenSubject(s.token.name)}/passwords/${s.slot}`,
        {
          token: {
            name: s.token.name,
            kind: s.token.syncRegistry ? 'sync' : 'client',
            connectedRegistry: s.token.syncRegistry?.name ?? null,
          },
          password: { name: s.slot, creationTime: s.createdAt.toISOString(), expiry: s.expiry!.toISOString() },
          ...(isExpired ? {} : { expiryWarningDays: endpoint.expiryWarningDays }),
          link: tokenLink(registry, s.token.name),
        },
        { id, time: now },
      );
    });
    if (!events.length) continue;
    // skip what was queued before without rewriting it
    const known = new Set(
      (
        await db.webhookDelivery.findMany({
          where: { endpointId: endpoint.id, eventId: { in: events.map((e) => e.id) } },
          select: { eventId: true },
        })
      ).map((d) => d.eventId),
    );
    queued += await queueEvents(
      db,
      [endpoint],
      events.filter((e) => !known.has(e.id)),
    );
  }
  return queued;
}

/** Delivered and failed deliveries (with their attempts) are kept this long in the log. */
export const DELIVERY_LOG_DAYS = 30;

/** Drops deliveries that ended more than DELIVERY_LOG_DAYS ago, so the outbox does not grow for ever. */
export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
  const { count } = await db.webhookDelivery.deleteMany({
    where: { status: { in: ['delivered', 'failed'] }, updatedAt: { lt: new Date(now.getTime() - DELIVERY_LOG_DAYS * 86400_000) } },
  });
  return count;
}

/** One run of every detector (and the log's pruning). Returns how many deliveries were queued. */
export async function detectConditions(options: { now?: Date; quietUntil: Date; db?: Db }): Promise<number> {
  const db = options.db ?? getDb();
  const now = options.now ?? new Date();
  const endpoints = await endpointsByRegistry(db);
  const queued =
    (await detectConnectivity(db, now, options.quietUntil)) +
    (await detectPasswordExpiry(db, now)) +
    (await detectSyncStale(db, now, options.quietUntil, (id) => endpoints.get(id) ?? []));
  await pruneDeliveries(db, now);
  return queued;
}

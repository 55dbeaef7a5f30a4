// Connected registries counted by state, across every hierarchy, in one query. "Offline" follows
// the 3-minute rule (a registry that has not reported for 3 minutes is Offline whatever it said);
// one that never reported is "Not deployed", not Offline: online, syncing, unhealthy, offline and
// not deployed add up to the total.
import 'server-only';
import { getDb } from '@/lib/db/client';
import { Prisma } from '@/lib/generated/prisma/client';
import { offlineCutoff } from './rules';
import type { RegistryStateCounts } from './schemas';

/** Across every hierarchy, or (given its id) one cloud registry's. */
export async function registryStateCounts(now = new Date(), cloudRegistryId?: string): Promise<RegistryStateCounts> {
  const cutoff = offlineCutoff(now.getTime());
  const [row] = await getDb().$queryRaw<Record<keyof RegistryStateCounts, bigint>[]>`
    SELECT
      count(*) AS total,
      count(*) FILTER (WHERE c."lastActivityTime" >= ${cutoff} AND c."connectionState" = 'Online') AS online,
      count(*) FILTER (WHERE c."lastActivityTime" >= ${cutoff} AND c."connectionState" = 'Syncing') AS syncing,
      count(*) FILTER (WHERE c."lastActivityTime" >= ${cutoff} AND c."connectionState" = 'Unhealthy') AS unhealthy,
      count(*) FILTER (WHERE c."lastActivityTime" < ${cutoff} OR (c."lastActivityTime" IS NOT NULL AND c."connectionState" = 'Offline')) AS offline,
      count(*) FILTER (WHERE c."lastActivityTime" IS NULL) AS "notDeployed",
      count(*) FILTER (WHERE c."activationStatus" = 'Active') AS active,
      count(*) FILTER (WHERE c."activationStatus" = 'Inactive') AS inactive,
      count(*) FILTER (WHERE t."status" = 'disabled') AS disabled
    FROM "ConnectedRegistry" c JOIN "Token" t ON t."id" = c."syncTokenId"
    ${cloudRegistryId ? Prisma.sql`WHERE c."cloudRegistryId" = ${cloudRegistryId}::uuid` : Prisma.empty}`;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as RegistryStateCounts;
}

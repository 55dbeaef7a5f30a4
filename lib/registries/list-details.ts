// What a page of the connected-registries list shows besides each registry's own columns — its
// parent, sync token, sync scope map (its repository actions only, which the database keeps in a
// column of their own: a registry high in a big tree carries four gateway actions for each
// registry below it, and unnesting them took most of a page's time), client tokens, child count and the
// registries sharing its login server — read in ONE query for the whole page. Prisma reads each
// relation of a findMany with a query of its own, one after the other: eight round trips a page,
// which at 10,000 registries on a loaded machine made the list miss its 100 ms.
import 'server-only';
import type { Db } from '@/lib/db/client';
import type { TokenStatus } from '@/lib/generated/prisma/client';

export type ListDetails = {
  parent: string | null;
  syncTokenName: string;
  syncTokenStatus: TokenStatus;
  syncScopeMapName: string;
  repositoryActions: string[];
  clientTokens: string[];
  childCount: number;
  /** the registries on its login server ([cloud registry, name], first 21 by name); null when it holds none */
  sharing: [string, string][] | null;
};

export async function listDetails(db: Db, ids: string[]): Promise<Map<string, ListDetails>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<(ListDetails & { id: string })[]>`
    SELECT c."id"::text AS "id", p."name" AS "parent", t."name" AS "syncTokenName", t."status"::text AS "syncTokenStatus",
           s."name" AS "syncScopeMapName",
           s."repositoryActions" AS "repositoryActions",
           array(SELECT ct."name" FROM "ConnectedRegistryClientToken" x JOIN "Token" ct ON ct."id" = x."tokenId"
                  WHERE x."connectedRegistryId" = c."id" ORDER BY ct."name") AS "clientTokens",
           (SELECT count(*) FROM "ConnectedRegistry" k WHERE k."parentId" = c."id")::int AS "childCount",
           CASE WHEN c."loginServerHolder" IS NOT NULL THEN (
             SELECT coalesce(json_agg(json_build_array(o."cloud", o."name")), '[]'::json) FROM (
               SELECT oc."name" AS "cloud", o."name" FROM "ConnectedRegistry" o JOIN "CloudRegistry" oc ON oc."id" = o."cloudRegistryId"
                WHERE o."loginServer" = c."loginServer" AND o."loginServerHolder" = c."loginServerHolder"
                ORDER BY oc."name", o."name" LIMIT 21) o)
           END AS "sharing"
      FROM "ConnectedRegistry" c
      JOIN "Token" t ON t."id" = c."syncTokenId"
      JOIN "ScopeMap" s ON s."id" = c."syncScopeMapId"
      LEFT JOIN "ConnectedRegistry" p ON p."id" = c."parentId"
     WHERE c."id" = ANY(${ids}::uuid[])`;
  return new Map(rows.map(({ id, ...details }) => [id, details]));
}

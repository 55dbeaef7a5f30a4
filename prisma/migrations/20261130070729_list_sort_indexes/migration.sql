-- DropIndex
DROP INDEX "Token_cloudRegistryId_status_idx";

-- AlterTable
ALTER TABLE "Token" ADD COLUMN     "lastUsedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "ConnectedRegistry_cloudRegistryId_createdAt_name_idx" ON "ConnectedRegistry"("cloudRegistryId", "createdAt", "name");

-- CreateIndex
CREATE INDEX "ScopeMap_cloudRegistryId_createdAt_name_idx" ON "ScopeMap"("cloudRegistryId", "createdAt", "name");

-- CreateIndex
CREATE INDEX "Token_cloudRegistryId_status_name_idx" ON "Token"("cloudRegistryId", "status", "name");

-- CreateIndex
CREATE INDEX "Token_cloudRegistryId_createdAt_name_idx" ON "Token"("cloudRegistryId", "createdAt", "name");


-- Hand-written below: what schema.prisma cannot express. lib/db/migrate.test.ts's drift test
-- lists these indexes (HAND_WRITTEN_INDEXES) and checks that they exist.

-- "Last activity" and "last used" sort with the never-seen first when ascending and last when
-- descending (a scan of this index either way), the name breaking ties as in every list.
CREATE INDEX "ConnectedRegistry_cloudRegistryId_lastActivityTime_name_idx" ON "ConnectedRegistry" ("cloudRegistryId", "lastActivityTime" ASC NULLS FIRST, "name");
CREATE INDEX "Token_cloudRegistryId_lastUsedAt_name_idx" ON "Token" ("cloudRegistryId", "lastUsedAt" ASC NULLS FIRST, "name");

-- A token's lastUsedAt is the latest of its slots': kept here, so that the token service's
-- last-used bookkeeping (one UPDATE of the slot, at most once a minute) stays as it is.
UPDATE "Token" t SET "lastUsedAt" = p.last FROM (
  SELECT "tokenId", max("lastUsedAt") AS last FROM "TokenPassword" WHERE "lastUsedAt" IS NOT NULL GROUP BY "tokenId"
) p WHERE p."tokenId" = t."id";

CREATE FUNCTION "canopy_token_last_used"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Token" SET "lastUsedAt" = NEW."lastUsedAt"
   WHERE "id" = NEW."tokenId" AND ("lastUsedAt" IS NULL OR "lastUsedAt" < NEW."lastUsedAt");
  RETURN NULL;
END $$;

CREATE TRIGGER "TokenPassword_lastUsedAt" AFTER INSERT OR UPDATE OF "lastUsedAt" ON "TokenPassword"
  FOR EACH ROW WHEN (NEW."lastUsedAt" IS NOT NULL) EXECUTE FUNCTION "canopy_token_last_used"();

-- Name searches (`q`: contains, any case) use trigram indexes, which ILIKE '%…%' can use. pg_trgm
-- ships with PostgreSQL's contrib (a trusted extension: the database's owner may create it) and
-- is loaded into the embedded database (lib/db/embedded.ts). Where it is missing or may not be
-- created, the searches still work, by scanning.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX "ConnectedRegistry_name_trgm_idx" ON "ConnectedRegistry" USING gin ("name" gin_trgm_ops);
    CREATE INDEX "ScopeMap_name_trgm_idx" ON "ScopeMap" USING gin ("name" gin_trgm_ops);
    CREATE INDEX "Token_name_trgm_idx" ON "Token" USING gin ("name" gin_trgm_ops);
  ELSE
    RAISE NOTICE 'pg_trgm is not available: name searches scan instead of using an index';
  END IF;
EXCEPTION WHEN OTHERS THEN
  -- e.g. a role that may not create it (PostgreSQL before 13, where it is not trusted)
  RAISE NOTICE 'pg_trgm could not be set up (%): name searches scan instead of using an index', SQLERRM;
END $$;

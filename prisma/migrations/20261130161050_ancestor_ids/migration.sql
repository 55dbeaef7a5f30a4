-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "ancestorIds" UUID[] DEFAULT ARRAY[]::UUID[];


-- Hand-written (Prisma cannot express triggers): "ancestorIds" is derived from "parentId", and the
-- database keeps it right whatever writes ConnectedRegistry (the create service, the bulk seed, a
-- reparent by any means: the registries below follow). A delete needs nothing: a registry with
-- children cannot be deleted (parentId is RESTRICTed). The connected-registries list's `parent=`
-- filter reads a subtree through the GIN index below instead of walking it with a recursive query.

-- the registries there are, from the top down
WITH RECURSIVE tree AS (
  SELECT "id", ARRAY[]::uuid[] AS "ancestors" FROM "ConnectedRegistry" WHERE "parentId" IS NULL
  UNION ALL
  SELECT c."id", tree."ancestors" || c."parentId" FROM "ConnectedRegistry" c JOIN tree ON c."parentId" = tree."id"
)
UPDATE "ConnectedRegistry" c SET "ancestorIds" = tree."ancestors" FROM tree WHERE c."id" = tree."id";

-- without a pending list (fastupdate): registries are written one at a time, or once in bulk by the
-- seed, and a pending list of thousands of entries is read through on every lookup until a vacuum
CREATE INDEX "ConnectedRegistry_ancestorIds_idx" ON "ConnectedRegistry" USING GIN ("ancestorIds") WITH (fastupdate = off);

-- a registry's ancestors are its parent's and its parent, computed whenever a write names either
-- column (a multi-row insert lists parents before their children, as the seed does: a row-level
-- trigger sees the rows its statement wrote before)
CREATE FUNCTION "canopy_connected_registry_set_ancestors"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."parentId" IS NULL THEN
    NEW."ancestorIds" := ARRAY[]::uuid[];
  ELSE
    SELECT coalesce(p."ancestorIds", ARRAY[]::uuid[]) || p."id" INTO NEW."ancestorIds"
      FROM "ConnectedRegistry" p WHERE p."id" = NEW."parentId";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "ConnectedRegistry_ancestorIds" BEFORE INSERT OR UPDATE OF "parentId", "ancestorIds" ON "ConnectedRegistry"
  FOR EACH ROW EXECUTE FUNCTION "canopy_connected_registry_set_ancestors"();

-- a registry whose ancestors changed (moved, or one above it moved) recomputes its children's,
-- which do the same for theirs, level by level
CREATE FUNCTION "canopy_connected_registry_ancestors_of_children"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ConnectedRegistry" SET "ancestorIds" = NULL WHERE "parentId" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "ConnectedRegistry_ancestorIds_of_children" AFTER UPDATE OF "parentId", "ancestorIds" ON "ConnectedRegistry"
  FOR EACH ROW WHEN (OLD."ancestorIds" IS DISTINCT FROM NEW."ancestorIds")
  EXECUTE FUNCTION "canopy_connected_registry_ancestors_of_children"();

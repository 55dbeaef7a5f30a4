-- CreateEnum
CREATE TYPE "ScopeMapKind" AS ENUM ('user', 'sync', 'system');

-- AlterTable
ALTER TABLE "ScopeMap" ADD COLUMN     "kind" "ScopeMapKind" NOT NULL DEFAULT 'user',
ADD COLUMN     "repositoryActions" TEXT[];

-- CreateIndex
CREATE INDEX "ScopeMap_cloudRegistryId_kind_name_idx" ON "ScopeMap"("cloudRegistryId", "kind", "name");


-- Hand-written (Prisma cannot express triggers): the two columns above are derived, and the
-- database keeps them right whatever writes ScopeMap or ConnectedRegistry (the services, the
-- bulk seed, an adopted sync token's map turning into a sync map and back). The scope-maps list
-- filters on "kind" through the index above instead of an anti-join over every scope map, and
-- the connected-registries list reads "repositoryActions" instead of unnesting every action of
-- a sync scope map (a registry high in a big tree carries four gateway actions per registry below it).
CREATE FUNCTION "canopy_scope_map_kind"(is_system boolean, map_id uuid) RETURNS "ScopeMapKind" LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN is_system THEN 'system'::"ScopeMapKind"
              WHEN EXISTS (SELECT 1 FROM "ConnectedRegistry" c WHERE c."syncScopeMapId" = map_id) THEN 'sync'::"ScopeMapKind"
              ELSE 'user'::"ScopeMapKind" END
$$;

-- each derived column is computed when a write names it or what it derives from (Prisma's updates
-- name only the columns they change: a write of the description computes neither)
CREATE FUNCTION "canopy_scope_map_set_kind"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."kind" := "canopy_scope_map_kind"(NEW."system", NEW."id");
  RETURN NEW;
END $$;

CREATE TRIGGER "ScopeMap_kind" BEFORE INSERT OR UPDATE OF "system", "kind" ON "ScopeMap"
  FOR EACH ROW EXECUTE FUNCTION "canopy_scope_map_set_kind"();

CREATE FUNCTION "canopy_scope_map_set_repository_actions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."repositoryActions" := array(SELECT a FROM unnest(NEW."actions") a WHERE a LIKE 'repositories/%');
  RETURN NEW;
END $$;

CREATE TRIGGER "ScopeMap_repositoryActions" BEFORE INSERT OR UPDATE OF "actions", "repositoryActions" ON "ScopeMap"
  FOR EACH ROW EXECUTE FUNCTION "canopy_scope_map_set_repository_actions"();

-- a connected registry that takes, changes or gives up its sync scope map changes that map's kind
CREATE FUNCTION "canopy_scope_map_kind_of_registry"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  maps uuid[] := ARRAY[]::uuid[];
BEGIN
  IF TG_OP <> 'INSERT' THEN maps := maps || OLD."syncScopeMapId"; END IF;
  IF TG_OP <> 'DELETE' THEN maps := maps || NEW."syncScopeMapId"; END IF;
  UPDATE "ScopeMap" s SET "kind" = "canopy_scope_map_kind"(s."system", s."id")
   WHERE s."id" = ANY(maps) AND s."kind" IS DISTINCT FROM "canopy_scope_map_kind"(s."system", s."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "ConnectedRegistry_scopeMapKind_insert_delete" AFTER INSERT OR DELETE ON "ConnectedRegistry"
  FOR EACH ROW EXECUTE FUNCTION "canopy_scope_map_kind_of_registry"();
CREATE TRIGGER "ConnectedRegistry_scopeMapKind_update" AFTER UPDATE OF "syncScopeMapId" ON "ConnectedRegistry"
  FOR EACH ROW WHEN (OLD."syncScopeMapId" IS DISTINCT FROM NEW."syncScopeMapId") EXECUTE FUNCTION "canopy_scope_map_kind_of_registry"();

-- the scope maps there are: naming both columns runs both triggers above
UPDATE "ScopeMap" SET "kind" = 'user', "repositoryActions" = NULL;

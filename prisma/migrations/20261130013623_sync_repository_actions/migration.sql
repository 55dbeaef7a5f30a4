-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "repositoryActions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "syncTokenAdopted" BOOLEAN NOT NULL DEFAULT false;


-- Existing registries: their own repositories with their mode's actions, as the sync scope map
-- derived them so far.
UPDATE "ConnectedRegistry" SET "repositoryActions" = ARRAY(
    SELECT 'repositories/' || r || '/' || a
    FROM unnest("repositories") AS r,
         unnest(CASE WHEN "mode" = 'ReadOnly'
                     THEN ARRAY['content/read', 'metadata/read']
                     ELSE ARRAY['content/read', 'content/write', 'content/delete', 'metadata/read', 'metadata/write'] END) AS a
    ORDER BY 1
);

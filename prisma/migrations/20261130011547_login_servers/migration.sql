-- CreateEnum
CREATE TYPE "LoginServerHolder" AS ENUM ('cloud', 'connected');

-- AlterTable
ALTER TABLE "CloudRegistry" ADD COLUMN     "loginServerHolder" "LoginServerHolder" NOT NULL DEFAULT 'cloud';

-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "loginServerHolder" "LoginServerHolder" DEFAULT 'connected';

-- CreateTable
CREATE TABLE "LoginServer" (
    "name" TEXT NOT NULL,
    "holder" "LoginServerHolder" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginServer_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "LoginServer_name_holder_key" ON "LoginServer"("name", "holder");

-- Data: login servers are compared without regard to case, and each gets its row. A connected
-- registry that sits on a cloud registry's login server is not refused (that would stop the
-- whole token service from starting): it is detached (loginServerHolder NULL), so that login
-- server grants it nothing, and the start log and the Overview list it for an admin to fix.
UPDATE "CloudRegistry" c SET "loginServer" = lower(c."loginServer")
  WHERE c."loginServer" <> lower(c."loginServer")
    AND NOT EXISTS (SELECT 1 FROM "CloudRegistry" o WHERE o."loginServer" = lower(c."loginServer"));
UPDATE "ConnectedRegistry" SET "loginServer" = lower("loginServer") WHERE "loginServer" <> lower("loginServer");
INSERT INTO "LoginServer" ("name", "holder") SELECT "loginServer", 'cloud' FROM "CloudRegistry";
INSERT INTO "LoginServer" ("name", "holder")
  SELECT DISTINCT "loginServer", 'connected'::"LoginServerHolder" FROM "ConnectedRegistry"
  ON CONFLICT ("name") DO NOTHING;
UPDATE "ConnectedRegistry" c SET "loginServerHolder" = NULL
  FROM "LoginServer" l WHERE l."name" = c."loginServer" AND l."holder" = 'cloud';

-- AddForeignKey
ALTER TABLE "CloudRegistry" ADD CONSTRAINT "CloudRegistry_loginServer_loginServerHolder_fkey" FOREIGN KEY ("loginServer", "loginServerHolder") REFERENCES "LoginServer"("name", "holder") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "ConnectedRegistry" ADD CONSTRAINT "ConnectedRegistry_loginServer_loginServerHolder_fkey" FOREIGN KEY ("loginServer", "loginServerHolder") REFERENCES "LoginServer"("name", "holder") ON DELETE RESTRICT ON UPDATE RESTRICT;


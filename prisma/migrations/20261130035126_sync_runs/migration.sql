-- CreateEnum
CREATE TYPE "SyncRunStatus" AS ENUM ('Running', 'Succeeded', 'Failed', 'Stopped');

-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('schedule', 'now');

-- CreateEnum
CREATE TYPE "SyncRunKind" AS ENUM ('sync', 'gc');

-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "activatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastSyncRunStatus" "SyncRunStatus",
ADD COLUMN     "syncRequestId" TEXT,
ADD COLUMN     "syncRequestedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "WebhookRegistryWatch" ADD COLUMN     "syncStaleSince" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" UUID NOT NULL,
    "connectedRegistryId" UUID NOT NULL,
    "runId" TEXT NOT NULL,
    "lastRunId" TEXT NOT NULL,
    "runCount" INTEGER NOT NULL DEFAULT 1,
    "kind" "SyncRunKind" NOT NULL DEFAULT 'sync',
    "trigger" "SyncTrigger" NOT NULL,
    "requestId" TEXT,
    "status" "SyncRunStatus" NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "reportedAt" TIMESTAMPTZ(3) NOT NULL,
    "changedNothing" BOOLEAN NOT NULL DEFAULT false,
    "repositories" JSONB NOT NULL,
    "repositoriesTotal" INTEGER,
    "conflicts" JSONB NOT NULL,
    "conflictCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncRun_connectedRegistryId_startedAt_idx" ON "SyncRun"("connectedRegistryId", "startedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "SyncRun_connectedRegistryId_runId_key" ON "SyncRun"("connectedRegistryId", "runId");

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_connectedRegistryId_fkey" FOREIGN KEY ("connectedRegistryId") REFERENCES "ConnectedRegistry"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Registries active before this migration: their staleness counts from their last activity
UPDATE "ConnectedRegistry" SET "activatedAt" = COALESCE("lastActivityTime", "createdAt") WHERE "activationStatus" = 'Active';

-- AlterEnum
ALTER TYPE "SyncTrigger" ADD VALUE 'push';

-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "lastGcRunStatus" "SyncRunStatus";


-- CreateEnum
CREATE TYPE "FeatureStatus" AS ENUM ('Enabled', 'Disabled');

-- AlterTable
ALTER TABLE "ConnectedRegistry" ADD COLUMN     "auditLogStatus" "FeatureStatus" NOT NULL DEFAULT 'Disabled',
ADD COLUMN     "gcEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "gcSchedule" TEXT NOT NULL DEFAULT '0 0 * * *',
ADD COLUMN     "tls" "FeatureStatus" NOT NULL DEFAULT 'Enabled';


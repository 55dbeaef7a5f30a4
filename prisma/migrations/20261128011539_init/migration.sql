-- CreateEnum
CREATE TYPE "AdminRole" AS ENUM ('Owner', 'Contributor', 'Reader');

-- CreateEnum
CREATE TYPE "RegistryMode" AS ENUM ('ReadWrite', 'ReadOnly');

-- CreateEnum
CREATE TYPE "LogLevel" AS ENUM ('Debug', 'Information', 'Warning', 'Error', 'None');

-- CreateEnum
CREATE TYPE "ActivationStatus" AS ENUM ('Active', 'Inactive');

-- CreateEnum
CREATE TYPE "ConnectionState" AS ENUM ('Online', 'Offline', 'Syncing', 'Unhealthy');

-- CreateEnum
CREATE TYPE "TokenStatus" AS ENUM ('enabled', 'disabled');

-- CreateEnum
CREATE TYPE "PasswordSlot" AS ENUM ('password1', 'password2');

-- CreateTable
CREATE TABLE "AdminUser" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "AdminRole" NOT NULL DEFAULT 'Reader',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSignInAt" TIMESTAMPTZ(3),

    CONSTRAINT "AdminUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessToken" (
    "id" UUID NOT NULL,
    "adminId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "verifier" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "resetAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RateLimitBucket_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "CloudRegistry" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "loginServer" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "dataEndpoint" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CloudRegistry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectedRegistry" (
    "id" UUID NOT NULL,
    "cloudRegistryId" UUID NOT NULL,
    "parentId" UUID,
    "name" TEXT NOT NULL,
    "mode" "RegistryMode" NOT NULL DEFAULT 'ReadWrite',
    "loginServer" TEXT NOT NULL,
    "repositories" TEXT[],
    "syncSchedule" TEXT NOT NULL DEFAULT '* * * * *',
    "syncWindow" TEXT,
    "syncMessageTtl" TEXT NOT NULL DEFAULT 'P2D',
    "logLevel" "LogLevel" NOT NULL DEFAULT 'Information',
    "notifications" TEXT[],
    "syncTokenId" UUID NOT NULL,
    "syncScopeMapId" UUID NOT NULL,
    "activationStatus" "ActivationStatus" NOT NULL DEFAULT 'Inactive',
    "instanceId" TEXT,
    "connectionState" "ConnectionState" NOT NULL DEFAULT 'Offline',
    "lastActivityTime" TIMESTAMPTZ(3),
    "lastSyncTime" TIMESTAMPTZ(3),
    "version" TEXT,
    "statusDetails" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConnectedRegistry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectedRegistryClientToken" (
    "connectedRegistryId" UUID NOT NULL,
    "tokenId" UUID NOT NULL,

    CONSTRAINT "ConnectedRegistryClientToken_pkey" PRIMARY KEY ("connectedRegistryId","tokenId")
);

-- CreateTable
CREATE TABLE "ScopeMap" (
    "id" UUID NOT NULL,
    "cloudRegistryId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "actions" TEXT[],
    "system" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ScopeMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Token" (
    "id" UUID NOT NULL,
    "cloudRegistryId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scopeMapId" UUID NOT NULL,
    "status" "TokenStatus" NOT NULL DEFAULT 'enabled',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenPassword" (
    "tokenId" UUID NOT NULL,
    "slot" "PasswordSlot" NOT NULL,
    "verifier" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiry" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TokenPassword_pkey" PRIMARY KEY ("tokenId","slot")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" UUID NOT NULL,
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'ES256',
    "privateKey" TEXT NOT NULL,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "certificate" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatesAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" UUID,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetName" TEXT NOT NULL,
    "registry" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "requestId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminUser_email_key" ON "AdminUser"("email");

-- CreateIndex
CREATE UNIQUE INDEX "AccessToken_verifier_key" ON "AccessToken"("verifier");

-- CreateIndex
CREATE UNIQUE INDEX "AccessToken_adminId_name_key" ON "AccessToken"("adminId", "name");

-- CreateIndex
CREATE INDEX "RateLimitBucket_resetAt_idx" ON "RateLimitBucket"("resetAt");

-- CreateIndex
CREATE UNIQUE INDEX "CloudRegistry_name_key" ON "CloudRegistry"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CloudRegistry_loginServer_key" ON "CloudRegistry"("loginServer");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectedRegistry_syncTokenId_key" ON "ConnectedRegistry"("syncTokenId");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectedRegistry_syncScopeMapId_key" ON "ConnectedRegistry"("syncScopeMapId");

-- CreateIndex
CREATE INDEX "ConnectedRegistry_cloudRegistryId_parentId_idx" ON "ConnectedRegistry"("cloudRegistryId", "parentId");

-- CreateIndex
CREATE INDEX "ConnectedRegistry_parentId_idx" ON "ConnectedRegistry"("parentId");

-- CreateIndex
CREATE INDEX "ConnectedRegistry_cloudRegistryId_connectionState_idx" ON "ConnectedRegistry"("cloudRegistryId", "connectionState");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectedRegistry_cloudRegistryId_name_key" ON "ConnectedRegistry"("cloudRegistryId", "name");

-- CreateIndex
CREATE INDEX "ConnectedRegistryClientToken_tokenId_idx" ON "ConnectedRegistryClientToken"("tokenId");

-- CreateIndex
CREATE UNIQUE INDEX "ScopeMap_cloudRegistryId_name_key" ON "ScopeMap"("cloudRegistryId", "name");

-- CreateIndex
CREATE INDEX "Token_scopeMapId_idx" ON "Token"("scopeMapId");

-- CreateIndex
CREATE INDEX "Token_cloudRegistryId_status_idx" ON "Token"("cloudRegistryId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Token_cloudRegistryId_name_key" ON "Token"("cloudRegistryId", "name");

-- CreateIndex
CREATE INDEX "TokenPassword_expiry_idx" ON "TokenPassword"("expiry");

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_kid_key" ON "SigningKey"("kid");

-- CreateIndex
CREATE INDEX "AuditEvent_time_id_idx" ON "AuditEvent"("time" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actorName_time_idx" ON "AuditEvent"("actorName", "time" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_action_time_idx" ON "AuditEvent"("action", "time" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetName_idx" ON "AuditEvent"("targetType", "targetName");

-- AddForeignKey
ALTER TABLE "AccessToken" ADD CONSTRAINT "AccessToken_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistry" ADD CONSTRAINT "ConnectedRegistry_cloudRegistryId_fkey" FOREIGN KEY ("cloudRegistryId") REFERENCES "CloudRegistry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistry" ADD CONSTRAINT "ConnectedRegistry_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "ConnectedRegistry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistry" ADD CONSTRAINT "ConnectedRegistry_syncTokenId_fkey" FOREIGN KEY ("syncTokenId") REFERENCES "Token"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistry" ADD CONSTRAINT "ConnectedRegistry_syncScopeMapId_fkey" FOREIGN KEY ("syncScopeMapId") REFERENCES "ScopeMap"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistryClientToken" ADD CONSTRAINT "ConnectedRegistryClientToken_connectedRegistryId_fkey" FOREIGN KEY ("connectedRegistryId") REFERENCES "ConnectedRegistry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedRegistryClientToken" ADD CONSTRAINT "ConnectedRegistryClientToken_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScopeMap" ADD CONSTRAINT "ScopeMap_cloudRegistryId_fkey" FOREIGN KEY ("cloudRegistryId") REFERENCES "CloudRegistry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Token" ADD CONSTRAINT "Token_cloudRegistryId_fkey" FOREIGN KEY ("cloudRegistryId") REFERENCES "CloudRegistry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Token" ADD CONSTRAINT "Token_scopeMapId_fkey" FOREIGN KEY ("scopeMapId") REFERENCES "ScopeMap"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenPassword" ADD CONSTRAINT "TokenPassword_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;


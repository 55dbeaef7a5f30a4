-- Names ignore case, as ACR's do: a cloud registry's tokens, scope maps, connected registries and
-- webhooks are found and checked without regard to case, and these unique indexes agree (two
-- names that differ only in case cannot both exist, even if a check were bypassed).
-- Hand-written: Prisma cannot express an index on an expression. lib/db/migrate.test.ts's drift
-- test lists them (HAND_WRITTEN_INDEXES) and checks that they exist.
CREATE UNIQUE INDEX "CloudRegistry_lower_name_key" ON "CloudRegistry" (lower("name"));
CREATE UNIQUE INDEX "ConnectedRegistry_cloudRegistryId_lower_name_key" ON "ConnectedRegistry" ("cloudRegistryId", lower("name"));
CREATE UNIQUE INDEX "ScopeMap_cloudRegistryId_lower_name_key" ON "ScopeMap" ("cloudRegistryId", lower("name"));
CREATE UNIQUE INDEX "Token_cloudRegistryId_lower_name_key" ON "Token" ("cloudRegistryId", lower("name"));
CREATE UNIQUE INDEX "WebhookEndpoint_cloudRegistryId_lower_name_key" ON "WebhookEndpoint" ("cloudRegistryId", lower("name"));

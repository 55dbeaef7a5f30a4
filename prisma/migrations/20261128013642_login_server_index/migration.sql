-- CreateIndex
CREATE INDEX "ConnectedRegistry_loginServer_idx" ON "ConnectedRegistry"("loginServer");


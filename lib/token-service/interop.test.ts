// Proof with real software: Debian's docker-registry (distribution 2.8) trusts Canopy's token
// service, and skopeo pushes and pulls with Canopy's client tokens. Every admin change (disable,
// regenerate, expiry, registry disabled, not accepted) takes effect for the real client.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { freePort } from '@/lib/free-port';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePassword } from '@/lib/tokens/service/regenerate-passwords';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { buildTinyOciImage, pull, push, serveHandler, startDockerRegistry, type RunningRegistry } from '@/test/registry-interop';
import { handleTokenRequest } from './endpoint';
import { certificateBundle, ensureSigningKey } from './keys';

const haveTools = existsSync('/usr/bin/docker-registry') && existsSync('/usr/bin/skopeo');

describe.skipIf(!haveTools)('docker-registry + skopeo against Canopy’s token service', () => {
  setupTestDatabase();
  let canopy: Awaited<ReturnType<typeof serveHandler>>;
  let registry: RunningRegistry;
  let image: string;
  const creds: Record<string, string> = {};
  let actor: Actor;

  beforeAll(async () => {
    canopy = await serveHandler(handleTokenRequest);
    process.env.CANOPY_PUBLIC_URL = canopy.url;
    process.env.CANOPY_TOKEN_ISSUER = 'canopy-interop-test';
    actor = await createActor('Owner');

    const port = await freePort();
    const service = `127.0.0.1:${port}`;
    await createCloudRegistryFixture(actor, 'contoso');
    await createScopeMap(actor, 'contoso', {
      name: 'hello-rw',
      actions: ['content/read', 'content/write', 'metadata/read'].map((a) => `repositories/hello/world/${a}`),
    });
    await createScopeMap(actor, 'contoso', {
      name: 'hello-pull',
      actions: ['content/read', 'metadata/read'].map((a) => `repositories/hello/world/${a}`),
    });
    for (const [name, scopeMap] of [
      ['writer', 'hello-rw'],
      ['reader', 'hello-pull'],
      ['stranger', 'hello-rw'],
      ['expiring', 'hello-rw'],
    ] as const) {
      const { passwords } = await createToken(actor, 'contoso', { name, scopeMap, status: 'enabled', noPasswords: false });
      creds[name] = `${name}:${passwords[0].value}`;
    }
    await createConnectedRegistry(actor, 'contoso', {
      name: 'factory01',
      mode: 'ReadWrite',
      loginServer: service,
      repositories: ['hello/world'],
      clientTokens: ['writer', 'reader', 'expiring'],
      notifications: [],
    });
    await ensureSigningKey();
    registry = await startDockerRegistry({
      realm: `${canopy.url}/oauth2/token`,
      service,
      issuer: 'canopy-interop-test',
      certificateBundle: await certificateBundle(),
      port,
    });
    image = await buildTinyOciImage();
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await canopy?.close();
  });

  it('pushes with a ReadWrite client token and pulls with a pull-only token', async () => {
    const pushed = await push(image, registry.host, 'hello/world:1.0', creds.writer);
    expect(pushed.output).not.toMatch(/unauthorized|denied/i);
    expect(pushed.ok).toBe(true);
    const pulled = await pull(registry.host, 'hello/world:1.0', creds.reader);
    expect(pulled.ok).toBe(true);
  }, 90_000);

  it('denies a push with the pull-only token', async () => {
    const result = await push(image, registry.host, 'hello/world:evil', creds.reader);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unauthorized|denied|authentication required/i);
  }, 90_000);

  it('refuses a token that the connected registry does not accept', async () => {
    const result = await pull(registry.host, 'hello/world:1.0', creds.stranger);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unauthorized|invalid username\/password|authentication required/i);
  }, 90_000);

  it('refuses the old password after the admin regenerates its slot, and accepts the new one', async () => {
    const fresh = await regeneratePassword(actor, 'contoso', 'writer', { name: 'password1' });
    expect((await pull(registry.host, 'hello/world:1.0', creds.writer)).ok).toBe(false);
    const now = await pull(registry.host, 'hello/world:1.0', `writer:${fresh.value}`);
    expect(now.ok).toBe(true);
    creds.writer = `writer:${fresh.value}`;
  }, 90_000);

  it('refuses a password once its slot has expired', async () => {
    const expiresAt = new Date(Date.now() + 4000);
    const fresh = await regeneratePassword(actor, 'contoso', 'expiring', { name: 'password1', expiry: expiresAt.toISOString() });
    expect((await pull(registry.host, 'hello/world:1.0', `expiring:${fresh.value}`)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now()) + 200));
    expect((await pull(registry.host, 'hello/world:1.0', `expiring:${fresh.value}`)).ok).toBe(false);
  }, 90_000);

  it('refuses a token the admin disabled', async () => {
    await updateToken(actor, 'contoso', 'reader', { status: 'disabled' });
    expect((await pull(registry.host, 'hello/world:1.0', creds.reader)).ok).toBe(false);
    await updateToken(actor, 'contoso', 'reader', { status: 'enabled' });
    expect((await pull(registry.host, 'hello/world:1.0', creds.reader)).ok).toBe(true);
  }, 90_000);

  it('refuses everyone once the admin disables the connected registry', async () => {
    await updateToken(actor, 'contoso', 'factory01-sync-token', { status: 'disabled' });
    const result = await pull(registry.host, 'hello/world:1.0', creds.writer);
    expect(result.ok).toBe(false);
  }, 90_000);
});

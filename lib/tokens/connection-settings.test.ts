// The connection settings of a connected registry against a real database: the parent's
// endpoint and protocol, and a sync-token password generated in the same call (shown once,
// stored as a verifier, audited) or a placeholder.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ForbiddenError, NotFoundError, ValidationError, parseInput } from '@/lib/errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, rejection } from '@/test/fixtures';
import { verifyTokenPassword } from './passwords';
import { connectionSettingsInput } from './schemas';
import { connectionSettings } from './service/connection-settings';
import { regeneratePassword } from './service/regenerate-passwords';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
const cloud = 'contoso';
beforeAll(async () => {
  contributor = await createActor('Contributor');
  reader = await createActor('Reader');
  await createCloudRegistryFixture(contributor, cloud);
  // contoso ← factorya (login server with a port) ← lineone
  for (const input of [
    { name: 'factorya', loginServer: 'factory-a.contoso.local:8443', repositories: ['line/plc'] },
    { name: 'lineone', parent: 'factorya', loginServer: '10.0.0.21', repositories: ['line/robot'] },
  ]) {
    await createConnectedRegistry(contributor, cloud, parseInput(createConnectedRegistryInput, input));
  }
});

const settings = (name: string, input: Record<string, unknown>, actor = contributor) =>
  connectionSettings(actor, cloud, name, parseInput(connectionSettingsInput, input));

function fields(s: string): Record<string, string> {
  const parts = s.split(';');
  expect(parts).toHaveLength(5);
  return Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

async function syncVerifiers(registry: string): Promise<Record<string, string>> {
  const rows = await getDb().tokenPassword.findMany({ where: { token: { syncRegistry: { name: registry } } }, omit: { verifier: false } });
  return Object.fromEntries(rows.map((r) => [r.slot, r.verifier]));
}

const rotations = (registry: string) =>
  getDb().auditEvent.findMany({
    where: { action: 'connectedRegistry.rotateSyncCredentials', targetName: registry },
    orderBy: { id: 'asc' },
  });

describe('connectionSettings', () => {
  it('points a child of the cloud registry at the cloud’s data endpoint over https, even when http is asked', async () => {
    for (const parentProtocol of ['https', 'http'] as const) {
      const result = await settings('factorya', { parentProtocol });
      expect(result.parentProtocol).toBe('https');
      expect(fields(result.connectionString)).toMatchObject({
        ConnectedRegistryName: 'factorya',
        SyncTokenName: 'factorya-sync-token',
        ParentGatewayEndpoint: 'contoso.westus2.data.azurecr.io',
        ParentEndpointProtocol: 'https',
      });
    }
  });

  it('points a child of a connected registry at that registry’s login server, with the protocol asked', async () => {
    const http = await settings('lineone', { parentProtocol: 'http' });
    expect(http.parentProtocol).toBe('http');
    expect(http.connectionString).toMatch(/;ParentGatewayEndpoint=factory-a\.contoso\.local:8443;ParentEndpointProtocol=http$/);
    const https = await settings('lineone', {});
    expect(fields(https.connectionString).ParentEndpointProtocol).toBe('https');
  });

  it('without generatePassword carries a placeholder, writes nothing, and is open to a Reader', async () => {
    const before = { verifiers: await syncVerifiers('factorya'), audit: await getDb().auditEvent.count() };
    const result = await settings('factorya', {}, reader);
    expect(result.password).toBeNull();
    const password = fields(result.connectionString).SyncTokenPassword;
    expect(password).toContain('generatePassword');
    expect(password).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await syncVerifiers('factorya')).toEqual(before.verifiers);
    expect(await getDb().auditEvent.count()).toBe(before.audit);
  });

  it('with generatePassword carries a new password that verifies against the sync token’s slot, and writes an audit event', async () => {
    const other = await regeneratePassword(contributor, cloud, 'lineone-sync-token', { name: 'password1' });
    const otherVerifier = (await syncVerifiers('lineone')).password1;

    const result = await settings('lineone', { parentProtocol: 'http', generatePassword: 'password2' });
    const f = fields(result.connectionString);
    expect(f.SyncTokenPassword).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.password).toMatchObject({ name: 'password2', value: f.SyncTokenPassword, expiry: null });

    const stored = await syncVerifiers('lineone');
    expect(verifyTokenPassword(stored.password2, f.SyncTokenPassword)).toBe(true);
    expect(verifyTokenPassword(stored.password1, f.SyncTokenPassword)).toBe(false);
    // the other slot keeps working
    expect(stored.password1).toBe(otherVerifier);
    expect(verifyTokenPassword(stored.password1, other.value)).toBe(true);

    const events = await rotations('lineone');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: contributor.adminId, registry: cloud, targetType: 'connectedRegistry' });
    expect(events[0].details).toEqual({ syncToken: 'lineone-sync-token', slot: 'password2' });
    expect(JSON.stringify(events[0].details)).not.toContain(f.SyncTokenPassword);
  });

  it('regenerating the same slot again invalidates the previous connection string’s password', async () => {
    const first = fields((await settings('factorya', { generatePassword: 'password1' })).connectionString).SyncTokenPassword;
    const second = fields((await settings('factorya', { generatePassword: 'password1' })).connectionString).SyncTokenPassword;
    expect(second).not.toBe(first);
    const stored = await syncVerifiers('factorya');
    expect(verifyTokenPassword(stored.password1, second)).toBe(true);
    expect(verifyTokenPassword(stored.password1, first)).toBe(false);
    expect(await rotations('factorya')).toHaveLength(2);
  });

  it('refuses a Reader who asks for a new password, writing nothing', async () => {
    const before = await syncVerifiers('factorya');
    const error = await rejection(settings('factorya', { generatePassword: 'password2' }, reader));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(await syncVerifiers('factorya')).toEqual(before);
  });

  it('answers 404 for an unknown registry, and refuses an unknown protocol or slot in its schema', async () => {
    expect(await rejection(settings('nosuchedge', {}))).toBeInstanceOf(NotFoundError);
    expect(() => parseInput(connectionSettingsInput, { parentProtocol: 'ftp' })).toThrow(ValidationError);
    expect(() => parseInput(connectionSettingsInput, { generatePassword: 'password3' })).toThrow(ValidationError);
  });
});

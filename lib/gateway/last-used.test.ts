// Sync tokens used at the gateway update their slot's "Last used", at most once a minute, so
// an admin can see which slot the on-premises registry runs on before rotating the other.
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getConfig } from '@/app/gateway/v1/registries/[registry]/connected-registries/[name]/config/route';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { parseConnectionString } from './connection-string';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { basicAuth, callGateway } from '@/test/routes';
import { reportStatus } from './service/report-status';

setupTestDatabase();
let actor: Actor;
let cloud = '';
const passwords = { password1: '', password2: '' };

beforeAll(async () => {
  actor = await createActor('Contributor');
  cloud = await createCloudRegistryFixture(actor);
  const created = await createConnectedRegistry(actor, cloud, {
    name: 'depot01',
    mode: 'ReadWrite',
    loginServer: 'depot01.local',
    repositories: ['apps/web'],
    clientTokens: [],
    notifications: [],
  });
  passwords.password1 = parseConnectionString(created.connectionString).syncTokenPassword;
  passwords.password2 = (
    await connectionSettings(actor, cloud, 'depot01', { parentProtocol: 'https', generatePassword: 'password2' })
  ).password!.value;
});

const fetchConfig = (password: string) =>
  callGateway(getConfig, {
    registry: cloud,
    name: 'depot01',
    endpoint: 'config',
    user: 'depot01-sync-token',
    password,
    address: '10.9.0.1',
    instance: 'depot-box',
  });

async function lastUsed(slot: 'password1' | 'password2') {
  const row = await getDb().tokenPassword.findFirstOrThrow({
    where: { token: { name: 'depot01-sync-token' }, slot },
    select: { lastUsedAt: true },
  });
  return row.lastUsedAt;
}

/** The write is not awaited by the request: wait until it lands (or the value stays). */
async function settle(slot: 'password1' | 'password2', until: (v: Date | null) => boolean) {
  const deadline = Date.now() + 2000;
  let value = await lastUsed(slot);
  while (!until(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await lastUsed(slot);
  }
  return value;
}

describe('the gateway records a sync token slot’s last use', () => {
  it('sets Last used of the slot the registry authenticated with, and only that one', async () => {
    expect(await lastUsed('password1')).toBeNull();
    const started = Date.now();
    expect((await fetchConfig(passwords.password1)).status).toBe(200);
    const used = await settle('password1', (v) => v !== null);
    expect(used!.getTime()).toBeGreaterThanOrEqual(started - 5);
    expect(await lastUsed('password2')).toBeNull();
  });

  it('writes at most once a minute per slot', async () => {
    const old = new Date(Date.now() - 3600_000);
    await getDb().tokenPassword.updateMany({
      where: { token: { name: 'depot01-sync-token' }, slot: 'password1' },
      data: { lastUsedAt: old },
    });
    expect((await fetchConfig(passwords.password1)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await lastUsed('password1')).toEqual(old); // written less than a minute ago: not again

    // a status report two minutes later (a controllable clock) writes again
    const later = new Date(Date.now() + 2 * 60_000);
    const headers = new Headers({
      authorization: basicAuth('depot01-sync-token', passwords.password1),
      'x-connected-registry-instance': 'depot-box',
    });
    await reportStatus(headers, cloud, 'depot01', async () => ({ connectionState: 'Online' }), later);
    expect(await settle('password1', (v) => v?.getTime() === later.getTime())).toEqual(later);
  });

  it('the other slot, once used, gets its own time', async () => {
    expect((await fetchConfig(passwords.password2)).status).toBe(200);
    expect(await settle('password2', (v) => v !== null)).not.toBeNull();
  });
});

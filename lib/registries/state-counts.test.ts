import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { createConnectedRegistry } from './service/create-connected-registry';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { registryStateCounts } from './state-counts';

setupTestDatabase();

describe('registryStateCounts', () => {
  it('counts connected registries by connection state (3-minute rule), activation and disabled; one never deployed is not Offline', async () => {
    const actor = await createActor('Owner');
    await createCloudRegistryFixture(actor, 'contoso');
    for (const name of ['alpha1', 'bravo2', 'charlie3', 'delta4']) {
      await createConnectedRegistry(actor, 'contoso', {
        name,
        mode: 'ReadWrite',
        loginServer: `${name}.local`,
        repositories: ['apps/web'],
        clientTokens: [],
        notifications: [],
      });
    }
    const now = new Date();
    const set = (name: string, data: object) => getDb().connectedRegistry.updateMany({ where: { name }, data });
    await set('alpha1', { connectionState: 'Online', lastActivityTime: now, activationStatus: 'Active' });
    await set('bravo2', { connectionState: 'Syncing', lastActivityTime: new Date(now.getTime() - 60_000), activationStatus: 'Active' });
    await set('charlie3', {
      connectionState: 'Online',
      lastActivityTime: new Date(now.getTime() - 5 * 60_000),
      activationStatus: 'Active',
    });
    await updateToken(actor, 'contoso', 'delta4-sync-token', { status: 'disabled' });
    expect(await registryStateCounts(now)).toEqual({
      total: 4,
      online: 1,
      syncing: 1,
      unhealthy: 0,
      offline: 1,
      notDeployed: 1,
      active: 3,
      inactive: 1,
      disabled: 1,
    });
    // the Overview's tiles: each registry in one connection state (disabled is a flag across them)
    const c = await registryStateCounts(now);
    expect(c.online + c.syncing + c.unhealthy + c.offline + c.notDeployed).toBe(c.total);
  });
});

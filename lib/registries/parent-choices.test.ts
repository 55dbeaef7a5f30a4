// The new-registry form's parents against a real database: every registry while there are few,
// only the preset one (found in any case) in a hierarchy too big to list.
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { seedLarge } from '@/scripts/seed-large';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { createConnectedRegistry } from './service/create-connected-registry';
import { parseInput } from '@/lib/errors';
import { createConnectedRegistryInput } from './schemas';
import { PARENT_LIST_UP_TO, parentChoices } from './parent-choices';

setupTestDatabase();

const BIG = 'parentfleet';
let small: string;

beforeAll(async () => {
  const owner = await createActor('Owner');
  small = await createCloudRegistryFixture(owner);
  for (const [name, mode] of [
    ['bravo', 'ReadOnly'],
    ['alpha', 'ReadWrite'],
  ] as const) {
    await createConnectedRegistry(
      owner,
      small,
      parseInput(createConnectedRegistryInput, { name, mode, loginServer: `${name}.${small.toLowerCase()}.local`, repositories: ['app'] }),
    );
  }
  await seedLarge({ name: BIG, registries: PARENT_LIST_UP_TO + 1, tokens: 10, maxDepth: 3, log: () => {} });
}, 120_000);

describe('parentChoices', () => {
  it('offers every connected registry of a small hierarchy, by name, with its mode', async () => {
    expect(await parentChoices(small)).toEqual({
      all: true,
      parents: [
        { name: 'alpha', mode: 'ReadWrite' },
        { name: 'bravo', mode: 'ReadOnly' },
      ],
    });
  });

  it('in a hierarchy too big to list, offers only the preset parent (named in any case), or none', async () => {
    expect(await parentChoices(BIG)).toEqual({ all: false, parents: [] });
    const deep = await getDb().connectedRegistry.findFirstOrThrow({ where: { cloudRegistry: { name: BIG } }, orderBy: { name: 'desc' } });
    const preset = await parentChoices(BIG, deep.name.toUpperCase());
    expect(preset).toEqual({ all: false, parents: [{ name: deep.name, mode: deep.mode }] });
    expect(await parentChoices(BIG, 'nosuchregistry')).toEqual({ all: false, parents: [] });
  });
});

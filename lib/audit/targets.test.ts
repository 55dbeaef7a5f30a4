import { beforeAll, describe, expect, it } from 'vitest';
import { parseInput } from '@/lib/errors';
import { createScopeMapInput } from '@/lib/scope-maps/schemas';
import { createScopeMap, deleteScopeMap } from '@/lib/scope-maps/service';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, uniqueName } from '@/test/fixtures';
import { listAuditEvents } from './queries';
import type { AuditEventDto } from './schemas';
import { auditTargetHrefs } from './targets';
import type { Actor } from '@/lib/auth/roles';

setupTestDatabase();

let owner: Actor;
let reader: Actor;
let registry: string;
let events: AuditEventDto[];
const kept = uniqueName('keptmap');
const gone = uniqueName('gonemap');

beforeAll(async () => {
  owner = await createActor('Owner');
  reader = await createActor('Reader');
  registry = await createCloudRegistryFixture(owner);
  for (const name of [kept, gone]) {
    await createScopeMap(owner, registry, parseInput(createScopeMapInput, { name, actions: ['repositories/app/content/read'] }));
  }
  await deleteScopeMap(owner, registry, gone);
  events = (await listAuditEvents({ limit: 50 })).items;
});

const hrefOf = async (viewer: Actor, match: (e: AuditEventDto) => boolean) => {
  const hrefs = await auditTargetHrefs(events, viewer);
  const i = events.findIndex(match);
  expect(i, 'the event is in the log').toBeGreaterThanOrEqual(0);
  return hrefs[i];
};

describe('auditTargetHrefs: the audit log links a target to its page while it exists', () => {
  it('links a scope map that exists to its page in its cloud registry', async () => {
    expect(await hrefOf(owner, (e) => e.targetName === kept)).toBe(`/scope-maps/${kept}?registry=${registry}`);
  });

  it('leaves a deleted scope map as plain text, on its create and its delete events alike', async () => {
    const hrefs = await auditTargetHrefs(events, owner);
    const ofGone = events.map((e, i) => [e, hrefs[i]] as const).filter(([e]) => e.targetName === gone);
    expect(ofGone.map(([e]) => e.action).sort()).toEqual(['scopeMap.create', 'scopeMap.delete']);
    expect(ofGone.map(([, href]) => href)).toEqual([null, null]);
  });

  it('links a cloud registry to its hierarchy, and an admin to the admins page for Owners only', async () => {
    expect(await hrefOf(owner, (e) => e.action === 'cloudRegistry.create')).toBe(`/hierarchy?registry=${registry}`);
    const adminEvent = { targetType: 'admin', targetName: reader.email, registry: null };
    expect(await auditTargetHrefs([adminEvent], owner)).toEqual(['/settings/admins']);
    expect(await auditTargetHrefs([adminEvent], reader)).toEqual([null]);
    expect(await auditTargetHrefs([{ ...adminEvent, targetName: 'nobody@canopy.test' }], owner)).toEqual([null]);
  });

  it('does not link a name that exists only in another cloud registry', async () => {
    const other = await createCloudRegistryFixture(owner);
    expect(await auditTargetHrefs([{ targetType: 'scopeMap', targetName: kept, registry: other }], owner)).toEqual([null]);
  });
});

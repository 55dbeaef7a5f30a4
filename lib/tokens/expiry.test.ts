// The Overview's password-expiry report against a real database: which slots count as expiring
// or expired, across cloud registries, most urgent first.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { passwordExpiryReport } from './expiry';
import { createTokenInput } from './schemas';
import { createToken } from './service/create-token';

setupTestDatabase();

const DAY = 24 * 3600 * 1000;
let actor: Actor;

beforeAll(async () => {
  actor = await createActor('Contributor');
});

// The report spans every cloud registry: each test starts with no password, so that what it
// counts is its own rows, whichever tests ran before it.
beforeEach(async () => {
  await getDb().tokenPassword.deleteMany({});
});

const cloud = () => createCloudRegistryFixture(actor);

/** A token whose two slots expire at the given offsets from now (null: no expiry). */
async function token(registry: string, name: string, expiries: [number | null, number | null]) {
  await createToken(actor, registry, parseInput(createTokenInput, { name, scopeMap: '_repositories_pull' }));
  const row = await getDb().token.findFirstOrThrow({ where: { name, cloudRegistry: { name: registry } }, select: { id: true } });
  for (const [i, offset] of expiries.entries()) {
    await getDb().tokenPassword.update({
      where: { tokenId_slot: { tokenId: row.id, slot: i === 0 ? 'password1' : 'password2' } },
      data: { expiry: offset === null ? null : new Date(Date.now() + offset) },
    });
  }
}

describe('passwordExpiryReport', () => {
  it('counts expiring (≤ 30 days) and expired slots in every cloud registry, the soonest and the latest expired first', async () => {
    const [a, b] = [await cloud(), await cloud()];
    await token(a, 'soon-token', [2 * DAY, null]);
    await token(a, 'later-token', [20 * DAY, 90 * DAY]);
    await token(b, 'expired-token', [-1 * DAY, -10 * DAY]);
    await token(b, 'fine-token', [31 * DAY, null]);

    const report = await passwordExpiryReport(10);
    expect(report.expiring).toBe(2);
    expect(report.expired).toBe(2);
    expect(report.items.map((i) => [i.registry, i.token, i.slot, i.state])).toEqual([
      [a, 'soon-token', 'password1', 'expiring'],
      [a, 'later-token', 'password1', 'expiring'],
      [b, 'expired-token', 'password1', 'expired'],
      [b, 'expired-token', 'password2', 'expired'],
    ]);
    expect(report.items[0]).toMatchObject({ kind: 'client', syncRegistry: null });
    // no password value or verifier in the report
    expect(JSON.stringify(report)).not.toMatch(/verifier|value/);
  });

  it('keeps the counts whole when it shows only the most urgent', async () => {
    const c = await cloud();
    await token(c, 'first-token', [3 * DAY, 4 * DAY]);
    await token(c, 'second-token', [-2 * DAY, -3 * DAY]);
    const report = await passwordExpiryReport(1);
    expect(report.expiring).toBe(2);
    expect(report.expired).toBe(2);
    // one of each kind shown, the most urgent, though there are two of each
    expect(report.items.map((i) => [i.token, i.slot, i.state])).toEqual([
      ['first-token', 'password1', 'expiring'],
      ['second-token', 'password1', 'expired'],
    ]);
  });
});

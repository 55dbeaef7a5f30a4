// POST /api/v1/token-service/keys: signing-key rotation for automation, through the route
// handler against a real database — Owners only, input checked, audited, and nothing written
// on a refused request.
import { beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/v1/token-service/keys/route';
import { getDb } from '@/lib/db/client';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer } from '@/test/fixtures';
import { restRequest } from '@/test/routes';
import { ensureSigningKey, publishedKeys } from './keys';

setupTestDatabase();

let owner: { bearer: string; email: string };
let contributor: { bearer: string };

beforeAll(async () => {
  owner = await createActorWithBearer('Owner');
  contributor = await createActorWithBearer('Contributor');
  await ensureSigningKey();
});

function rotate(as: { bearer: string }, body: unknown) {
  return keysRoute.POST(restRequest({ bearer: as.bearer, method: 'POST', path: '/token-service/keys', body }), {
    params: Promise.resolve({}),
  });
}

const keyCount = () => getDb().signingKey.count();
const rotations = () => getDb().auditEvent.count({ where: { action: 'tokenService.rotateKey' } });

describe('POST /api/v1/token-service/keys', () => {
  it('refuses non-Owners (403) and bad delays (400), writing nothing', async () => {
    const [keys, events] = [await keyCount(), await rotations()];
    const forbidden = await rotate(contributor, { delaySeconds: 60 });
    expect(forbidden.status).toBe(403);
    for (const body of [
      {},
      { delaySeconds: -1 },
      { delaySeconds: 1.5 },
      { delaySeconds: 30 * 86400 + 1 },
      { delaySeconds: '60' },
      { delaySeconds: 60, extra: 1 },
      'not json',
    ]) {
      const res = await rotate(owner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
    expect(await keyCount()).toBe(keys);
    expect(await rotations()).toBe(events);
  });

  it('publishes a new key that signs after the delay, audited; a second rotation while it waits is a 409', async () => {
    const before = Date.now();
    const res = await rotate(owner, { delaySeconds: 600 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { kid: string; activatesAt: string };
    expect(new Date(body.activatesAt).getTime()).toBeGreaterThanOrEqual(before + 600_000);
    const published = await publishedKeys();
    expect(published.map((k) => k.kid)).toContain(body.kid);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'tokenService.rotateKey', targetName: body.kid } });
    expect(event.actorName).toBe(owner.email);
    expect(event.details).toMatchObject({ activatesAt: body.activatesAt });

    const again = await rotate(owner, { delaySeconds: 0 });
    expect(again.status).toBe(409);
    expect(await getDb().signingKey.count({ where: { activatesAt: { gt: new Date() } } })).toBe(1);
  });
});

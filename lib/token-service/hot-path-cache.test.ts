// The token service's memory of services, tokens and signing keys: one load at a time however
// many requests need it, and a value past its age limit answers while it is reloaded.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announce } from '@/lib/db/change-feed';
import { setupTestDatabase } from '@/test/db';
import { CACHE_TTL_MS, resolveService } from './authenticate';
import { activeSigningKey, ensureSigningKey, KEYS_TTL_MS, SIGNING_KEYS_CHANGED } from './keys';

setupTestDatabase();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the signing keys held in memory', () => {
  it('are loaded once for all the requests that find them missing', async () => {
    await ensureSigningKey();
    announce([SIGNING_KEYS_CHANGED]); // dropped, as after a rotation: the next grants wait for a load
    const keys = await Promise.all(Array.from({ length: 16 }, () => activeSigningKey()));
    // one load imports the key once: every request got the very same key object
    expect(new Set(keys).size).toBe(1);
    expect(new Set(keys.map((k) => k.keyObject)).size).toBe(1);
  });

  it('past their age limit, go on signing at once while one reload runs', async () => {
    await ensureSigningKey();
    announce([SIGNING_KEYS_CHANGED]);
    const held = await activeSigningKey();
    const later = Date.now() + KEYS_TTL_MS + 1000;
    const answers = Array.from({ length: 8 }, () => activeSigningKey(later));
    for (const answer of answers) expect(answer).toBe(held); // not a promise: no grant waits
    // the reload in the background brings a fresh copy of the same key
    await vi.waitFor(() => expect(activeSigningKey()).not.toBe(held));
    const reloaded = activeSigningKey();
    expect(reloaded).not.toBeInstanceOf(Promise);
    expect((reloaded as Awaited<typeof reloaded>).kid).toBe(held.kid);
  });

  it('after a rotation is announced, are not served from memory: the grant waits for the new load', async () => {
    await ensureSigningKey();
    const held = await activeSigningKey();
    announce([SIGNING_KEYS_CHANGED]);
    const next = activeSigningKey();
    expect(next).toBeInstanceOf(Promise);
    expect(await next).not.toBe(held);
  });
});

describe('the services held in memory', () => {
  it('are loaded once for all the requests that find them missing', async () => {
    announce(['*']);
    const answers = Array.from({ length: 16 }, () => resolveService('nothing.here.example'));
    const loaded = await Promise.all(answers);
    expect(loaded[0]).toEqual([]);
    expect(new Set(loaded).size).toBe(1);
  });

  it('past their age limit, answer at once while one reload runs', async () => {
    announce(['*']);
    const held = await resolveService('nothing.there.example');
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + CACHE_TTL_MS + 1000);
    const answer = resolveService('nothing.there.example');
    expect(answer).toBe(held); // not a promise
    vi.restoreAllMocks();
    // reloaded in the background: a new copy takes its place
    await vi.waitFor(() => expect(resolveService('nothing.there.example')).not.toBe(held));
  });
});

// The edge's retry waits (config long poll, sync) share one sleep: a wait that ends by its timer
// must take its abort listener away, or an edge offline for days piles up one per retry.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './sync/work';

describe('sleep between retries', () => {
  it('leaves no abort listener behind when it ends by its timer', async () => {
    const abort = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });

  it('ends at once when the signal aborts, and at once when it was aborted already', async () => {
    const abort = new AbortController();
    const waiting = sleep(60_000, abort.signal);
    abort.abort();
    await waiting;
    await sleep(60_000, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });
});

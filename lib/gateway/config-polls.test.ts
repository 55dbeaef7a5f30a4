// The long polls held by one instance: a change is judged by one rebuild of the configurations
// waited for (each built once, however many polls wait for it), and wakes only the polls whose
// configuration changed.
import { describe, expect, it } from 'vitest';
import { announce } from '@/lib/db/change-feed';
import { createConfigPolls, type BuiltConfig, type CloudRef } from './config-polls';

const cloud: CloudRef = { id: 'c1', name: 'contoso', loginServer: 'contoso.azurecr.io', dataEndpoint: 'contoso.westus2.data.azurecr.io' };

/** A fleet whose configurations are their version numbers; counts what was built, call by call. */
function fleet(versions: Record<string, number>) {
  const calls: string[][] = [];
  const build = async (_cloud: CloudRef, ids: string[]) => {
    calls.push([...ids].sort());
    const built = new Map<string, BuiltConfig<number>>();
    for (const id of ids) if (id in versions) built.set(id, { config: versions[id], etag: `"${id}-${versions[id]}"` });
    return built;
  };
  return { versions, calls, polls: createConfigPolls(build) };
}

const settle = () => new Promise((r) => setTimeout(r, 50));
const ref = (id: string) => ({ id, name: id.toUpperCase() });

describe('configuration long polls', () => {
  it('builds each waited-for configuration once per change and wakes only the polls whose configuration changed', async () => {
    const { versions, calls, polls } = fleet({ a: 1, b: 1 });
    // two polls on a (the registry and an ancestor relaying for it), one on b
    const a1 = polls.hold(cloud, ref('a'), '"a-1"');
    const a2 = polls.hold(cloud, ref('a'), '"a-1"');
    const b = polls.hold(cloud, ref('b'), '"b-1"');
    const waits = [a1, a2, b].map((p) => p.wait(5000));
    expect(polls.held()).toBe(3);

    versions.a = 2;
    announce(['contoso']);
    const [wokenA1, wokenA2] = await Promise.all(waits.slice(0, 2));
    expect(wokenA1).toEqual({ config: 2, etag: '"a-2"' });
    expect(wokenA2).toBe(wokenA1); // the same build, not one each
    expect(calls).toEqual([['a', 'b']]);
    expect(polls.builds()).toBe(2);

    // b's configuration did not change: still waiting, until its deadline
    const result = await Promise.race([waits[2], settle().then(() => 'waiting')]);
    expect(result).toBe('waiting');
    for (const p of [a1, a2]) p.close();
    expect(polls.held()).toBe(1);
    b.close();
    expect(polls.held()).toBe(0);
  });

  it('ignores changes to other cloud registries, folds a burst of changes into one rebuild, and answers null at the deadline', async () => {
    const { versions, calls, polls } = fleet({ a: 1 });
    const a = polls.hold(cloud, ref('a'), '"a-1"');
    const waiting = a.wait(400);
    announce(['fabrikam']);
    await settle();
    expect(calls).toEqual([]);
    versions.a = 1;
    announce(['contoso']);
    announce(['contoso']);
    announce(['contoso']);
    await settle();
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(await waiting).toBeNull();
    a.close();
  });

  it('tells a poll whose registry is gone to read it again, and a change announced before the wait is not missed', async () => {
    const { versions, polls } = fleet({ a: 1 });
    const a = polls.hold(cloud, ref('a'), '"a-1"');
    delete (versions as Record<string, number>).a;
    announce(['contoso']);
    await settle();
    // woken before it began to wait: the wait answers at once
    expect(await a.wait(5000)).toBe('recheck');
    a.close();
  });

  it('rebuilds only the registries a change concerns alone, and all of them after a change concerning the cloud registry', async () => {
    const { versions, calls, polls } = fleet({ a: 1, b: 1, c: 1 });
    const held = ['a', 'b', 'c'].map((id) => polls.hold(cloud, ref(id), `"${id}-1"`));
    const waits = held.map((p) => p.wait(5000));
    versions.b = 2;
    // names are announced lowercase; a registry without a poll here is no build
    announce(new Map([['contoso', new Set(['b', 'nopoll'])]]));
    expect(await waits[1]).toEqual({ config: 2, etag: '"b-2"' });
    expect(calls).toEqual([['b']]);
    expect(polls.builds()).toBe(1);
    held[1].close();

    // two changes concerning one registry each, announced together: one rebuild of those two
    versions.a = 2;
    versions.c = 2;
    announce(new Map([['contoso', new Set(['a'])]]));
    announce(new Map([['contoso', new Set(['c'])]]));
    expect(await waits[0]).toEqual({ config: 2, etag: '"a-2"' });
    expect(await waits[2]).toEqual({ config: 2, etag: '"c-2"' });
    expect(calls.slice(1).flat().sort()).toEqual(['a', 'c']);
    for (const p of held) p.close();

    // a change concerning the whole cloud registry rebuilds every waited-for configuration
    const again = ['a', 'b', 'c'].map((id) => polls.hold(cloud, ref(id), `"${id}-2"`));
    const before = calls.length;
    announce(['contoso']);
    await settle();
    expect(calls.slice(before)).toEqual([['a', 'b', 'c']]);
    for (const p of again) p.close();
  });

  it('reads ahead, beside the build, what the polls it rebuilds read when they ask again', async () => {
    const readAhead: { registries: string[]; tokens: string[] }[] = [];
    const polls = createConfigPolls<number>(async (_cloud, ids) => new Map(ids.map((id) => [id, { config: 2, etag: `"${id}-2"` }])), {
      readAhead: async (_cloud, registries, tokens) => {
        readAhead.push({ registries: registries.map((r) => r.name).sort(), tokens: [...tokens].sort() });
      },
    });
    const a = polls.hold(cloud, ref('a'), '"a-1"', 'a-sync');
    const parent = polls.hold(cloud, ref('a'), '"a-1"', 'p-sync');
    const b = polls.hold(cloud, ref('b'), '"b-1"', 'b-sync');
    const waits = [a, parent, b].map((p) => p.wait(5000));
    announce(new Map([['contoso', new Set(['a'])]]));
    await Promise.all(waits.slice(0, 2));
    expect(readAhead).toEqual([{ registries: ['A'], tokens: ['a-sync', 'p-sync'] }]);
    announce(['contoso']);
    await waits[2];
    expect(readAhead[1]).toEqual({ registries: ['A', 'B'], tokens: ['a-sync', 'b-sync', 'p-sync'] });
    for (const p of [a, parent, b]) p.close();
  });

  it('answers the polls of each batch as soon as it is built, never before the read-ahead is done', async () => {
    let finishReadAhead = () => {};
    let buildSecond = () => {};
    const polls = createConfigPolls<number>(
      async (_cloud, ids, onBatch) => {
        const first = new Map([[ids[0], { config: 2, etag: `"${ids[0]}-2"` }]]);
        onBatch?.(first);
        await new Promise<void>((r) => (buildSecond = r));
        const second = new Map([[ids[1], { config: 2, etag: `"${ids[1]}-2"` }]]);
        onBatch?.(second);
        return new Map([...first, ...second]);
      },
      { readAhead: () => new Promise<void>((r) => (finishReadAhead = r)) },
    );
    const a = polls.hold(cloud, ref('a'), '"a-1"');
    const b = polls.hold(cloud, ref('b'), '"b-1"');
    const answered: string[] = [];
    const waits = [a.wait(5000).then(() => answered.push('a')), b.wait(5000).then(() => answered.push('b'))];
    announce(['contoso']);
    await settle();
    expect(answered).toEqual([]); // the first batch is built, the read-ahead is not done
    finishReadAhead();
    await settle();
    expect(answered).toEqual(['a']); // the second batch is still being built
    buildSecond();
    await Promise.all(waits);
    expect(answered).toEqual(['a', 'b']);
    a.close();
    b.close();
  });

  it('ends a poll when its signal aborts', async () => {
    const { polls } = fleet({ a: 1 });
    const a = polls.hold(cloud, ref('a'), '"a-1"');
    const controller = new AbortController();
    const waiting = a.wait(5000, controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
    a.close();
  });
});

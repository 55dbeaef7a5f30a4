// The ReadOnly rule (a ReadOnly registry accepts only client tokens whose scope map only reads)
// for the cases grammar.test.ts does not already spell out: gateway writes on their own, and
// the sync scope maps that carry them.
import { describe, expect, it } from 'vitest';
import { syncScopeActions } from '@/lib/registries/sync-scope';
import { isReadOnlyActionSet } from './grammar';

describe('isReadOnlyActionSet and gateway actions', () => {
  it('is true for gateway read actions alone', () => {
    expect(isReadOnlyActionSet(['gateway/edge01/config/read', 'gateway/edge01/message/read'])).toBe(true);
  });

  it.each(['gateway/edge01/config/write', 'gateway/edge01/message/write'])(
    'is false for %s alone, without any repository action',
    (write) => {
      expect(isReadOnlyActionSet([write])).toBe(false);
    },
  );

  it('is false when a gateway write sits among otherwise read-only gateway and repository actions of another registry', () => {
    expect(
      isReadOnlyActionSet([
        'repositories/*/content/read',
        'repositories/*/metadata/read',
        'gateway/edge01/config/read',
        'gateway/edge02/message/write',
      ]),
    ).toBe(false);
  });

  it('is false for a gateway read with a name that is not a lowercase registry name (it does not parse)', () => {
    expect(isReadOnlyActionSet(['gateway/Edge01/config/read'])).toBe(false);
  });

  it('is false for the sync scope map of a ReadOnly registry: it reads repositories but writes gateway config and messages', () => {
    const actions = syncScopeActions({ id: '1', name: 'kioskone', parentId: null, mode: 'ReadOnly', repositories: ['store/kiosk'] }, []);
    expect(actions.filter((a) => a.startsWith('repositories/')).every((a) => a.endsWith('/read'))).toBe(true);
    expect(isReadOnlyActionSet(actions)).toBe(false);
    expect(isReadOnlyActionSet(actions.filter((a) => !a.endsWith('/write')))).toBe(true);
  });
});

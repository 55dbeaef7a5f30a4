import { describe, expect, it } from 'vitest';
import { describeChange, fieldLabel } from './changes';

describe('describeChange: an audit event read as before → after', () => {
  it('lists only the fields that changed between a before and an after object', () => {
    const rows = describeChange('admin.update', {
      before: { role: 'Reader', disabled: false },
      after: { role: 'Contributor', disabled: false },
    });
    expect(rows).toEqual([{ field: 'Role', before: { text: 'Reader' }, after: { text: 'Contributor' } }]);
  });

  it('says so when a before/after pair changed nothing', () => {
    expect(describeChange('token.update', { before: { status: 'enabled' }, after: { status: 'enabled' } })).toEqual([
      { field: 'Change', value: { text: 'none (saved with the same values)' } },
    ]);
  });

  it('reads per-field pairs, lists and objects (a connected registry update)', () => {
    const rows = describeChange('connectedRegistry.update', {
      syncSchedule: { before: '* * * * *', after: '0 3 * * *' },
      clientTokens: { before: [], after: ['pos-a', 'pos-b'] },
      garbageCollection: { before: { enabled: true, schedule: '0 0 * * *' }, after: { enabled: false, schedule: '0 0 * * *' } },
      tls: { before: 'Enabled', after: 'Disabled' },
    });
    expect(rows).toEqual([
      { field: 'Sync schedule', before: { text: '* * * * *' }, after: { text: '0 3 * * *' } },
      { field: 'Client tokens', before: { text: 'none' }, after: { items: ['pos-a', 'pos-b'] } },
      {
        field: 'Garbage collection',
        before: { text: 'enabled yes, schedule 0 0 * * *' },
        after: { text: 'enabled no, schedule 0 0 * * *' },
      },
      { field: 'TLS', before: { text: 'Enabled' }, after: { text: 'Disabled' } },
    ]);
  });

  it('shows what a list gained and lost, and skips an empty side', () => {
    expect(describeChange('scopeMap.update', { added: ['repositories/a/content/read'], removed: [] })).toEqual([
      { field: 'Added', value: { items: ['repositories/a/content/read'] } },
    ]);
    expect(describeChange('connectedRegistry.permissions', { add: [], remove: ['b'], alsoRemovedFrom: [] })).toEqual([
      { field: 'Removed', value: { items: ['b'] } },
      { field: 'Also removed from', value: { text: 'none' } },
    ]);
  });

  it('reads a creation as — → value, and other details as plain values, times in UTC', () => {
    expect(describeChange('cloudRegistry.create', { loginServer: 'contoso.azurecr.io', region: 'westus2' })).toEqual([
      { field: 'Login server', after: { text: 'contoso.azurecr.io' } },
      { field: 'Region', after: { text: 'westus2' } },
    ]);
    expect(describeChange('tokenService.rotateKey', { activatesAt: '2026-11-30T07:05:00.000Z', previousKeysRetireAt: null })).toEqual([
      { field: 'Activates at', value: { text: '2026-11-30 07:05:00 UTC' } },
      { field: 'Previous keys retire at', value: { text: 'none' } },
    ]);
  });

  it('keeps a before that is not an object as a plain value, and reads empty details as no rows', () => {
    expect(describeChange('connectedRegistry.deactivate', { before: 'Active' })).toEqual([{ field: 'Before', value: { text: 'Active' } }]);
    expect(describeChange('accessToken.create', {})).toEqual([]);
    expect(describeChange('x.y', null)).toEqual([]);
  });
});

describe('fieldLabel', () => {
  it('turns keys into words', () => {
    expect(fieldLabel('expiryWarningDays')).toBe('Expiry warning days');
    expect(fieldLabel('url')).toBe('URL');
    expect(fieldLabel('connectedRegistry')).toBe('Connected registry');
    expect(fieldLabel('syncMessageTtl')).toBe('Sync message TTL');
  });
});

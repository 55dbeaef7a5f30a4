// Over 300 lines on purpose: one table-driven block per pure rule of lib/registries/rules.ts,
// kept beside each other as the rules are.
import { describe, expect, it } from 'vitest';
import {
  OFFLINE_AFTER_MS,
  offlineCutoff,
  childModeError,
  cronError,
  defaultDataEndpoint,
  describeSchedule,
  durationSeconds,
  effectiveConnectionState,
  isContinuous,
  isLoginServer,
  isRepositoryName,
  messageTtlError,
  modeRepositoryActions,
  notificationError,
  REGISTRY_NAME,
  syncScopeMapName,
  syncTokenName,
  syncWindowError,
} from './rules';

describe('registry names', () => {
  it.each(['edge1', 'Edge01', 'a2345', 'factoryFloor7', `a${'b'.repeat(49)}`])('accepts %s', (name) => {
    expect(REGISTRY_NAME.test(name)).toBe(true);
  });

  it.each([
    ['too short', 'edge'],
    ['too long', `a${'b'.repeat(50)}`],
    ['starts with a digit', '1edge'],
    ['contains a hyphen', 'edge-01'],
    ['contains an underscore', 'edge_01'],
    ['contains a dot', 'edge.01'],
    ['contains a space', 'edge 01'],
    ['non-ASCII letter', 'edgeé01'],
    ['empty', ''],
  ])('rejects a name that is %s', (_why, name) => {
    expect(REGISTRY_NAME.test(name)).toBe(false);
  });
});

describe('isLoginServer', () => {
  it.each([
    '10.0.0.4',
    '192.168.1.20:8080',
    '255.255.255.255',
    'edge01',
    'edge01.contoso.local',
    'edge01.contoso.local:443',
    'my-registry.example.com:65535',
    '[::1]',
    '[fe80::1]:5000',
    '[2001:db8::8a2e:370:7334]:443',
  ])('accepts %s', (host) => {
    expect(isLoginServer(host)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['an IPv4 address with an octet over 255', '256.1.1.1'],
    ['an IPv4 address with three octets', '10.0.0'],
    ['port 0', 'edge01:0'],
    ['a port over 65535', 'edge01:65536'],
    ['an empty port', 'edge01:'],
    ['a non-numeric port', 'edge01:http'],
    ['a label starting with a hyphen', '-edge.contoso.local'],
    ['a label ending with a hyphen', 'edge-.contoso.local'],
    ['an empty label', 'edge..local'],
    ['a URL with a scheme', 'https://edge01.local'],
    ['a path', 'edge01.local/v2'],
    ['an unbracketed IPv6 address', '::1'],
    ['an unbracketed IPv6 address with a port', 'fe80::1:5000'],
    ['an IPv4 address in brackets', '[10.0.0.1]:80'],
    ['a space', 'edge 01'],
    ['a label longer than 63 characters', `${'a'.repeat(64)}.local`],
  ])('rejects %s', (_why, host) => {
    expect(isLoginServer(host)).toBe(false);
  });
});

describe('defaultDataEndpoint', () => {
  it('inserts the region and "data" after the first label of the login server', () => {
    expect(defaultDataEndpoint('contoso.azurecr.io', 'westus2')).toBe('contoso.westus2.data.azurecr.io');
    expect(defaultDataEndpoint('registry.example.com', 'eastus')).toBe('registry.eastus.data.example.com');
  });

  it('appends them to a single-label login server', () => {
    expect(defaultDataEndpoint('localhost', 'westus2')).toBe('localhost.westus2.data');
  });

  it('keeps the port of a DNS name after the derived host, not inside it', () => {
    expect(defaultDataEndpoint('contoso.azurecr.io:8443', 'westus2')).toBe('contoso.westus2.data.azurecr.io:8443');
    expect(defaultDataEndpoint('localhost:5000', 'westus2')).toBe('localhost.westus2.data:5000');
  });

  it('uses an IP address login server itself (there is no name to derive one from)', () => {
    expect(defaultDataEndpoint('127.0.0.1:5301', 'westus2')).toBe('127.0.0.1:5301');
    expect(defaultDataEndpoint('10.1.2.3', 'westus2')).toBe('10.1.2.3');
    expect(defaultDataEndpoint('[fd00::1]:5000', 'westus2')).toBe('[fd00::1]:5000');
    for (const ip of ['127.0.0.1:5301', '10.1.2.3', '[fd00::1]:5000']) expect(isLoginServer(defaultDataEndpoint(ip, 'westus2'))).toBe(true);
  });
});

describe('cronError', () => {
  it.each(['* * * * *', '0 2 * * *', '*/15 * * * *', '0 0 * * 1-5', '30 6 1 * *'])('accepts %s', (schedule) => {
    expect(cronError(schedule)).toBeNull();
  });

  it('refuses a 6-field (seconds) expression, naming the 5 fields it needs', () => {
    expect(cronError('0 * * * * *')).toMatch(/needs 5 fields/);
  });

  it('refuses too few fields', () => {
    expect(cronError('* * *')).toMatch(/needs 5 fields/);
  });

  it.each(['61 * * * *', '* 25 * * *', 'a b c d e', '* * 32 * *'])('refuses the invalid expression %s', (schedule) => {
    const error = cronError(schedule);
    expect(error).not.toBeNull();
    expect(error).toContain(schedule);
    expect(error).toMatch(/not a valid cron schedule/);
  });
});

describe('isContinuous and describeSchedule', () => {
  it('treats every-minute as continuous, whatever the spacing', () => {
    expect(isContinuous('* * * * *')).toBe(true);
    expect(isContinuous('  *  * * *   * ')).toBe(true);
    expect(isContinuous('*/2 * * * *')).toBe(false);
  });

  it('describes the continuous schedule and others in words', () => {
    expect(describeSchedule('* * * * *')).toBe('Continuously (every minute)');
    expect(describeSchedule('0 2 * * *')).toBe('At 02:00');
    expect(describeSchedule('*/15 * * * *')).toBe('Every 15 minutes');
  });

  it('falls back to the expression itself when it cannot be described', () => {
    expect(describeSchedule('not a cron')).toBe('not a cron');
  });
});

describe('durationSeconds', () => {
  it.each([
    ['PT1H', 3600],
    ['PT90M', 5400],
    ['PT30S', 30],
    ['PT1.5S', 1.5],
    ['P1D', 86400],
    ['P2D', 172800],
    ['P1W', 604800],
    ['P1DT2H', 93600],
    ['P1DT1H1M1S', 90061],
  ])('%s is %d seconds', (value, seconds) => {
    expect(durationSeconds(value)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', 'P1DT', '1H', 'PT1D', 'P1M', 'P1Y', 'p1d', 'P-1D', 'P1.5D', 'PT1H '])('rejects %j', (value) => {
    expect(durationSeconds(value)).toBeNull();
  });
});

describe('syncWindowError', () => {
  it('needs no window for the continuous schedule', () => {
    expect(syncWindowError('* * * * *', undefined)).toBeNull();
    expect(syncWindowError('* * * * *', null)).toBeNull();
  });

  it('requires a window when the schedule is not continuous', () => {
    expect(syncWindowError('0 2 * * *', undefined)).toMatch(/required when the schedule is not continuous/);
    expect(syncWindowError('0 2 * * *', null)).toMatch(/required/);
    expect(syncWindowError('0 2 * * *', '')).toMatch(/required/);
  });

  it('accepts 1 hour to 7 days inclusive', () => {
    for (const w of ['PT1H', 'PT3H', 'P1D', 'P7D', 'PT168H', 'P1W']) expect(syncWindowError('0 2 * * *', w), w).toBeNull();
  });

  it('refuses a window under 1 hour or over 7 days', () => {
    for (const w of ['PT59M', 'PT3599S', 'P7DT1S', 'P8D', 'P2W']) {
      expect(syncWindowError('0 2 * * *', w), w).toBe('The sync window must be between 1 hour (PT1H) and 7 days (P7D).');
    }
  });

  it('checks the range even with the continuous schedule', () => {
    expect(syncWindowError('* * * * *', 'PT10M')).toMatch(/between 1 hour/);
  });

  it('refuses what is not an ISO 8601 duration', () => {
    expect(syncWindowError('0 2 * * *', '3 hours')).toMatch(/not an ISO 8601 duration/);
  });
});

describe('messageTtlError', () => {
  it.each(['P1D', 'P2D', 'PT24H', 'P90D', 'P12W'])('accepts %s', (ttl) => {
    expect(messageTtlError(ttl)).toBeNull();
  });

  it.each(['PT23H', 'PT1H', 'P90DT1S', 'P91D', 'P13W'])('refuses %s as out of range', (ttl) => {
    expect(messageTtlError(ttl)).toBe('The message TTL must be between 1 day (P1D) and 90 days (P90D).');
  });

  it('refuses what is not a duration', () => {
    expect(messageTtlError('2 days')).toMatch(/not an ISO 8601 duration/);
  });
});

describe('notificationError', () => {
  const digest = `sha256:${'a1b2c3d4'.repeat(8)}`;

  it.each([
    '*:*',
    '*:push',
    '*:delete',
    'hello-world:*',
    'hello-world:push',
    'hello-world:1.0:delete',
    `hello-world@${digest}:push`,
    `hello-world:1.0@${digest}:delete`,
    'hello-world:*:push',
    'library/hello-world:latest:push',
    'library/*:push',
  ])('accepts %s', (pattern) => {
    expect(notificationError(pattern)).toBeNull();
  });

  it.each([
    ['no action', 'foo'],
    ['an action other than push or delete', 'foo:pull'],
    ['an uppercase repository name', 'Hello:push'],
    ['an empty artifact', ':push'],
    ['a bad tag', 'hello-world:.bad:push'],
    ['a digest that is not one', 'hello-world@sha256:xyz:push'],
    ['a short digest', 'hello-world@sha256:abcd:push'],
  ])('refuses %s', (_why, pattern) => {
    const error = notificationError(pattern);
    expect(error).not.toBeNull();
    expect(error).toContain(`"${pattern}" is not a notification pattern`);
  });

  it('says which part is wrong', () => {
    expect(notificationError('foo:pull')).toMatch(/must be push, delete or \*/);
    expect(notificationError('Hello:push')).toMatch(/"Hello" is not a repository name/);
  });
});

describe('childModeError', () => {
  it('refuses a ReadWrite child under a ReadOnly parent', () => {
    expect(childModeError('ReadOnly', 'ReadWrite')).toMatch(/ReadOnly registry can only have ReadOnly children/);
  });

  it.each([
    [null, 'ReadWrite'],
    [null, 'ReadOnly'],
    ['ReadWrite', 'ReadWrite'],
    ['ReadWrite', 'ReadOnly'],
    ['ReadOnly', 'ReadOnly'],
  ] as const)('allows parent %s with child %s', (parent, child) => {
    expect(childModeError(parent, child)).toBeNull();
  });
});

describe('isRepositoryName (OCI distribution grammar)', () => {
  it.each([
    'hello-world',
    'library/hello-world',
    'a',
    'a0',
    'my.repo',
    'my_repo',
    'my__repo',
    'my---repo',
    'team/app/backend',
    `${'a'.repeat(255)}`,
  ])('accepts %s', (name) => {
    expect(isRepositoryName(name)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['uppercase', 'Hello-World'],
    ['a leading separator', '-hello'],
    ['a trailing separator', 'hello-'],
    ['a leading slash', '/hello'],
    ['a trailing slash', 'hello/'],
    ['an empty path component', 'library//hello'],
    ['three underscores', 'a___b'],
    ['a dot next to a hyphen', 'a.-b'],
    ['two dots', 'a..b'],
    ['a colon (tag)', 'hello:1.0'],
    ['a wildcard', 'library/*'],
    ['longer than 255 characters', 'a'.repeat(256)],
  ])('rejects a name with %s', (_why, name) => {
    expect(isRepositoryName(name)).toBe(false);
  });
});

describe('effectiveConnectionState', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms);

  it('shows what the registry reported while it reported recently', () => {
    expect(effectiveConnectionState('Online', ago(0), now)).toBe('Online');
    expect(effectiveConnectionState('Syncing', ago(60_000), now)).toBe('Syncing');
    expect(effectiveConnectionState('Unhealthy', ago(OFFLINE_AFTER_MS), now)).toBe('Unhealthy');
  });

  it('shows Offline once 3 minutes have passed without a report', () => {
    expect(OFFLINE_AFTER_MS).toBe(3 * 60 * 1000);
    expect(effectiveConnectionState('Online', ago(3 * 60 * 1000 + 1), now)).toBe('Offline');
    expect(effectiveConnectionState('Syncing', ago(10 * 60 * 1000), now)).toBe('Offline');
  });

  it('offlineCutoff is the same rule for the queries: activity before it is Offline, at it or after is not', () => {
    const cutoff = offlineCutoff(now);
    expect(cutoff.getTime()).toBe(now - OFFLINE_AFTER_MS);
    expect(effectiveConnectionState('Online', cutoff, now)).toBe('Online');
    expect(effectiveConnectionState('Online', new Date(cutoff.getTime() - 1), now)).toBe('Offline');
  });

  it('shows Offline for a registry that never reported', () => {
    expect(effectiveConnectionState('Online', null, now)).toBe('Offline');
  });
});

describe('sync credentials and mode actions', () => {
  it('names the sync token and scope map after the registry', () => {
    expect(syncTokenName('edge01')).toBe('edge01-sync-token');
    expect(syncScopeMapName('edge01')).toBe('edge01-scope-map');
  });

  it('grants read actions to ReadOnly and read/write/delete to ReadWrite', () => {
    expect([...modeRepositoryActions('ReadOnly')]).toEqual(['content/read', 'metadata/read']);
    expect([...modeRepositoryActions('ReadWrite')].sort()).toEqual(
      ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].sort(),
    );
  });
});

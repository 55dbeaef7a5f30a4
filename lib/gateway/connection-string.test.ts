import { describe, expect, it } from 'vitest';
import { connectionString } from '@/lib/tokens/rules';
import { parseConnectionString } from './connection-string';

describe('parseConnectionString', () => {
  it('reads what connectionString writes', () => {
    const s = connectionString({
      registryName: 'edge01',
      syncTokenName: 'edge01-sync-token',
      password: 'p=w;x'.replace(/[=;]/g, 'a'),
      parentEndpoint: 'contoso.westus2.data.azurecr.io',
      parentProtocol: 'https',
    });
    expect(parseConnectionString(s)).toEqual({
      connectedRegistryName: 'edge01',
      syncTokenName: 'edge01-sync-token',
      syncTokenPassword: 'paw;x'.replace(';', 'a'),
      parentGatewayEndpoint: 'contoso.westus2.data.azurecr.io',
      parentEndpointProtocol: 'https',
    });
  });

  it('refuses a string without a password, with a missing key, or an unknown key', () => {
    const placeholder = connectionString({
      registryName: 'edge01',
      syncTokenName: 't',
      password: null,
      parentEndpoint: 'x',
      parentProtocol: 'http',
    });
    expect(() => parseConnectionString(placeholder)).toThrow(/no password yet/);
    expect(() => parseConnectionString('ConnectedRegistryName=a;SyncTokenName=b')).toThrow(/lacks SyncTokenPassword/);
    expect(() => parseConnectionString('Foo=bar')).toThrow(/Unknown key/);
  });
});

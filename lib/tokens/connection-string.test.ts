// The connection string an on-premises connected registry is deployed with.
import { describe, expect, it } from 'vitest';
import { connectionString } from './rules';

const fields = (s: string) =>
  Object.fromEntries(s.split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));

describe('connectionString', () => {
  it('lists the five settings in the domain’s order and format', () => {
    expect(
      connectionString({
        registryName: 'factorya',
        syncTokenName: 'factorya-sync-token',
        password: 'AbC_-123xyz',
        parentEndpoint: 'contoso.westus2.data.azurecr.io',
        parentProtocol: 'https',
      }),
    ).toBe(
      'ConnectedRegistryName=factorya;SyncTokenName=factorya-sync-token;SyncTokenPassword=AbC_-123xyz;' +
        'ParentGatewayEndpoint=contoso.westus2.data.azurecr.io;ParentEndpointProtocol=https',
    );
  });

  it('carries a parent connected registry’s login server with its port and the http protocol as given', () => {
    expect(
      connectionString({
        registryName: 'lineone',
        syncTokenName: 'lineone-sync-token',
        password: 'pw',
        parentEndpoint: '192.168.0.10:8080',
        parentProtocol: 'http',
      }),
    ).toBe(
      'ConnectedRegistryName=lineone;SyncTokenName=lineone-sync-token;SyncTokenPassword=pw;ParentGatewayEndpoint=192.168.0.10:8080;ParentEndpointProtocol=http',
    );
  });

  it('puts a placeholder that says how to generate a password when there is none', () => {
    const s = connectionString({
      registryName: 'factorya',
      syncTokenName: 'factorya-sync-token',
      password: null,
      parentEndpoint: 'contoso.westus2.data.azurecr.io',
      parentProtocol: 'https',
    });
    const parsed = fields(s);
    // the placeholder must not break the key=value;… format
    expect(s.split(';')).toHaveLength(5);
    expect(Object.keys(parsed)).toEqual([
      'ConnectedRegistryName',
      'SyncTokenName',
      'SyncTokenPassword',
      'ParentGatewayEndpoint',
      'ParentEndpointProtocol',
    ]);
    expect(parsed.SyncTokenPassword).not.toBe('');
    expect(parsed.SyncTokenPassword).not.toContain('=');
    expect(parsed.SyncTokenPassword).toContain('generatePassword');
    expect(parsed.SyncTokenPassword).toMatch(/^<.*>$/);
    expect(parsed.ParentGatewayEndpoint).toBe('contoso.westus2.data.azurecr.io');
    expect(parsed.ParentEndpointProtocol).toBe('https');
  });

  it('round-trips a real 43-character base64url password (no ";" or "=" to escape)', () => {
    const password = 'q3N_8s-0vYxkP2mD7Lr9tUwZcA1bE4fG6hJ5iK8nOaQ';
    expect(password).toHaveLength(43);
    const parsed = fields(
      connectionString({
        registryName: 'edge01',
        syncTokenName: 'edge01-sync-token',
        password,
        parentEndpoint: 'p.example',
        parentProtocol: 'https',
      }),
    );
    expect(parsed.SyncTokenPassword).toBe(password);
  });
});

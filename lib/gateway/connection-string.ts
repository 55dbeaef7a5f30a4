// The connection string an on-premises registry is deployed with (see lib/tokens/service.ts):
// ConnectedRegistryName=…;SyncTokenName=…;SyncTokenPassword=…;ParentGatewayEndpoint=…;ParentEndpointProtocol=…
export type ConnectionSettings = {
  connectedRegistryName: string;
  syncTokenName: string;
  syncTokenPassword: string;
  parentGatewayEndpoint: string;
  parentEndpointProtocol: 'https' | 'http';
};

const KEYS = {
  ConnectedRegistryName: 'connectedRegistryName',
  SyncTokenName: 'syncTokenName',
  SyncTokenPassword: 'syncTokenPassword',
  ParentGatewayEndpoint: 'parentGatewayEndpoint',
  ParentEndpointProtocol: 'parentEndpointProtocol',
} as const;

export function parseConnectionString(value: string): ConnectionSettings {
  const out: Partial<Record<keyof ConnectionSettings, string>> = {};
  for (const part of value.trim().split(';').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`"${part}" is not key=value.`);
    const key = KEYS[part.slice(0, eq).trim() as keyof typeof KEYS];
    if (!key) throw new Error(`Unknown key "${part.slice(0, eq)}" in the connection string.`);
    out[key] = part.slice(eq + 1).trim();
  }
  for (const [name, key] of Object.entries(KEYS)) if (!out[key]) throw new Error(`The connection string lacks ${name}.`);
  if (out.syncTokenPassword!.startsWith('<'))
    throw new Error('The connection string has no password yet: generate one in Canopy (Rotate sync credentials).');
  if (out.parentEndpointProtocol !== 'https' && out.parentEndpointProtocol !== 'http')
    throw new Error('ParentEndpointProtocol must be https or http.');
  return out as ConnectionSettings;
}

// Tokens' rules that need no database: the expiry a request asks for, the scope map that inline
// permissions make, and the connection string an on-premises registry is deployed with.
import { protocolFor, type FeatureStatus } from '@/lib/registries/rules';
import type { ParentProtocol } from './schemas';

/** The expiry a request asks for: its time, or now plus its days; null for none. */
export function requestedExpiry(v: { expiry?: string | null; expiresInDays?: number }, now = Date.now()): Date | null {
  if (v.expiry) return new Date(v.expiry);
  return v.expiresInDays !== undefined ? new Date(now + v.expiresInDays * 86_400_000) : null;
}

/** The scope map a token created with inline permissions gets. */
export const inlineScopeMapName = (token: string) => `${token}-scope-map`;

export function connectionString(s: {
  registryName: string;
  syncTokenName: string;
  password: string | null;
  parentEndpoint: string;
  parentProtocol: ParentProtocol;
}): string {
  const password = s.password ?? '<generate a password: POST …/settings with "generatePassword">';
  return [
    `ConnectedRegistryName=${s.registryName}`,
    `SyncTokenName=${s.syncTokenName}`,
    `SyncTokenPassword=${password}`,
    `ParentGatewayEndpoint=${s.parentEndpoint}`,
    `ParentEndpointProtocol=${s.parentProtocol}`,
  ].join(';');
}

/**
 * Where an on-premises registry reaches its parent's gateway: the cloud registry's regional data
 * endpoint, always over https, or the parent connected registry's login server over the
 * protocol its TLS gives (https when Enabled), or the one the admin chose.
 */
export function parentGateway(
  cloud: { dataEndpoint: string },
  parent: { loginServer: string; tls: FeatureStatus } | null,
  requested: ParentProtocol | undefined,
): { parentEndpoint: string; parentProtocol: ParentProtocol } {
  // A connected parent is reached as its login server's TLS says, unless the caller says otherwise.
  return parent
    ? { parentEndpoint: parent.loginServer, parentProtocol: requested ?? protocolFor(parent.tls) }
    : { parentEndpoint: cloud.dataEndpoint, parentProtocol: 'https' };
}

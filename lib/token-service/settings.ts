// What Settings → Token service shows: how registries are pointed at Canopy.
import { tokenIssuer, tokenRealm } from '@/lib/config';
import { certificateBundle, ensureSigningKey, publishedKeys } from './keys';

export type SigningKeyDto = {
  kid: string;
  createdAt: string;
  activatesAt: string;
  retiredAt: string | null;
  state: 'signing' | 'pending' | 'retiring';
};

export async function tokenServiceSettings(now = new Date()) {
  await ensureSigningKey();
  const keys = await publishedKeys(now);
  const signing = [...keys].filter((k) => k.activatesAt <= now).sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime())[0];
  return {
    issuer: tokenIssuer(),
    realm: tokenRealm(),
    certificate: await certificateBundle(),
    keys: keys.map<SigningKeyDto>((k) => ({
      kid: k.kid,
      createdAt: k.createdAt.toISOString(),
      activatesAt: k.activatesAt.toISOString(),
      retiredAt: k.retiredAt?.toISOString() ?? null,
      state: k.activatesAt > now ? 'pending' : k.kid === signing?.kid ? 'signing' : 'retiring',
    })),
  };
}

/** A ready `auth:` block for a distribution (docker-registry) config.yml. */
export function distributionConfig(
  s: { realm: string; issuer: string },
  service = '<the registry’s service name, e.g. contoso/edge01>',
): string {
  return [
    'auth:',
    '  token:',
    `    realm: ${s.realm}`,
    `    service: ${service}`,
    `    issuer: ${s.issuer}`,
    '    rootcertbundle: /etc/docker/registry/canopy-token-service.pem',
  ].join('\n');
}

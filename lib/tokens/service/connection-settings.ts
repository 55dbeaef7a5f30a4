// The settings an on-premises registry is deployed with: its connection string, with a sync
// token password regenerated in the same transaction when asked for.
import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import type { Actor } from '@/lib/auth/roles';
import type { Tx } from '@/lib/db/client';
import { sameName } from '@/lib/db/like';
import { NotFoundError } from '@/lib/errors';
import type { ResolvedCloudRegistry } from '@/lib/registries/cloud-queries';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { connectionString, parentGateway } from '../rules';
import type { ConnectionSettingsInput, ParentProtocol, RevealedPassword } from '../schemas';
import { writePassword } from './write-password';

/**
 * The settings an on-premises registry is deployed with. With `generatePassword` a sync-token
 * slot is regenerated in the same transaction and its value appears in the string, once.
 */
export async function connectionSettings(
  actor: Actor,
  registryName: string,
  name: string,
  input: ConnectionSettingsInput,
): Promise<{ connectionString: string; parentProtocol: ParentProtocol; password: RevealedPassword | null }> {
  const role = input.generatePassword ? 'Contributor' : 'Reader';
  const run = async (tx: Tx, cloud: ResolvedCloudRegistry) => {
    const registry = await tx.connectedRegistry.findFirst({
      where: { cloudRegistryId: cloud.id, name: sameName(name) },
      select: {
        name: true,
        syncTokenId: true,
        syncToken: { select: { name: true } },
        parent: { select: { loginServer: true, tls: true } },
      },
    });
    if (!registry) throw new NotFoundError(`Connected registry "${name}"`);
    const { parentEndpoint, parentProtocol } = parentGateway(cloud, registry.parent, input.parentProtocol);
    let password: RevealedPassword | null = null;
    if (input.generatePassword) {
      password = await writePassword(tx, registry.syncTokenId, input.generatePassword, input.expiry ? new Date(input.expiry) : null);
      await recordAudit(tx, actor, {
        action: 'connectedRegistry.rotateSyncCredentials',
        targetType: 'connectedRegistry',
        targetName: registry.name,
        registry: cloud.name,
        details: {
          syncToken: registry.syncToken.name,
          slot: input.generatePassword,
          ...(password.expiry ? { expiry: password.expiry } : {}),
        },
      });
    }
    return {
      connectionString: connectionString({
        registryName: registry.name,
        syncTokenName: registry.syncToken.name,
        password: password?.value ?? null,
        parentEndpoint,
        parentProtocol,
      }),
      parentProtocol,
      password,
    };
  };
  // only a generated password changes anything: a plain read takes no lock
  return withCloudRegistry(actor, role, registryName, run, { lock: !!input.generatePassword });
}

// Removes one password slot of a token: that password stops working at once.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { NotFoundError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import type { PasswordSlotName, TokenDto } from '../schemas';
import { loadToken, readToken } from './load-token';

export async function deletePassword(actor: Actor, registryName: string, name: string, slot: PasswordSlotName): Promise<TokenDto> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadToken(tx, cloud.id, name);
    const { count } = await tx.tokenPassword.deleteMany({ where: { tokenId: current.id, slot } });
    if (count === 0) throw new NotFoundError(`${slot} of token "${name}"`);
    await audit('token.password.delete', current.name, { slot });
    return readToken(tx, current.id);
  });
}

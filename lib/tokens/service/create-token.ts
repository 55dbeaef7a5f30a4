// Creates a token with its scope map (an existing one, or a new one made in the same
// transaction) and both passwords, whose values are returned this once.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { sameName } from '@/lib/db/like';
import { ConflictError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { insertScopeMap } from '@/lib/scope-maps/service';
import { inlineScopeMapName, requestedExpiry } from '../rules';
import { inlineActions, type CreateTokenInput, type RevealedPassword, type TokenDto } from '../schemas';
import { readToken, resolveClientScopeMap } from './load-token';
import { writePassword } from './write-password';

export async function createToken(
  actor: Actor,
  registryName: string,
  input: CreateTokenInput,
): Promise<{ token: TokenDto; passwords: RevealedPassword[] }> {
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const clash = await tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(input.name) }, select: { id: true } });
    if (clash)
      throw new ConflictError(`A token named ${input.name} exists already in ${cloud.name}.`, [
        { field: 'name', message: 'This name is taken.' },
      ]);
    const map = input.scopeMap
      ? await resolveClientScopeMap(tx, cloud.id, input.scopeMap)
      : input.newScopeMap
        ? await insertScopeMap(tx, actor, cloud, input.newScopeMap, { field: 'newScopeMap.name', forToken: input.name })
        : await insertScopeMap(
            tx,
            actor,
            cloud,
            { name: inlineScopeMapName(input.name), description: `Permissions of token ${input.name}`, actions: inlineActions(input) },
            { field: 'name', forToken: input.name },
          );
    const row = await tx.token.create({
      data: { cloudRegistryId: cloud.id, name: input.name, scopeMapId: map.id, status: input.status },
      select: { id: true },
    });
    const expiry = requestedExpiry(input);
    const passwords = input.noPasswords
      ? []
      : [await writePassword(tx, row.id, 'password1', expiry), await writePassword(tx, row.id, 'password2', expiry)];
    const token = await readToken(tx, row.id);
    await audit('token.create', token.name, {
      scopeMap: map.name,
      ...(input.scopeMap ? {} : { scopeMapCreated: true }),
      status: token.status,
      passwords: passwords.map((p) => p.name),
      expiry: expiry?.toISOString() ?? null,
    });
    return { token, passwords };
  });
}

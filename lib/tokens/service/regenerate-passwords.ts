// Regenerates password slots of a token; a slot not asked for keeps working.
import 'server-only';
import type { Actor } from '@/lib/auth/roles';
import { ValidationError } from '@/lib/errors';
import { withCloudRegistry } from '@/lib/registries/service/with-cloud-registry';
import { requestedExpiry } from '../rules';
import { PASSWORD_SLOTS, type RegeneratePasswordInput, type RevealedPassword } from '../schemas';
import { loadToken } from './load-token';
import { writePassword } from './write-password';

/**
 * Regenerates the slots asked for (`names`, or the one `name`), in one transaction; a slot not
 * asked for keeps working. The new values are returned once, in slot order.
 */
export async function regeneratePasswords(
  actor: Actor,
  registryName: string,
  name: string,
  input: RegeneratePasswordInput,
): Promise<RevealedPassword[]> {
  const slots = PASSWORD_SLOTS.filter((s) => (input.names ?? [input.name]).includes(s));
  if (!slots.length) throw ValidationError.field('name', 'Name the slot to regenerate.');
  const expiry = requestedExpiry(input);
  return withCloudRegistry(actor, 'Contributor', registryName, async (tx, cloud, audit) => {
    const current = await loadToken(tx, cloud.id, name);
    const revealed: RevealedPassword[] = [];
    for (const slot of slots) {
      const password = await writePassword(tx, current.id, slot, expiry);
      revealed.push(password);
      await audit('token.password.regenerate', current.name, {
        slot,
        expiry: password.expiry,
        ...(current.syncRegistry ? { connectedRegistry: current.syncRegistry.name } : {}),
      });
    }
    return revealed;
  });
}

/** regeneratePasswords for one slot (`name`); the other keeps working. The new value is returned once. */
export async function regeneratePassword(
  actor: Actor,
  registryName: string,
  name: string,
  input: RegeneratePasswordInput,
): Promise<RevealedPassword> {
  const [revealed] = await regeneratePasswords(actor, registryName, name, input);
  return revealed;
}

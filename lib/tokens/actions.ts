'use server';
// Server actions for tokens: thin adapters over service.ts. Those that generate a password
// return it in their result, once; the caller keeps it only in component state.
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { parseInput } from '@/lib/errors';
import {
  connectionSettingsInput,
  createTokenInput,
  passwordSlotName,
  regeneratePasswordInput,
  updateTokenInput,
  type ParentProtocol,
  type PasswordSlotName,
  type RevealedPassword,
  type TokenDto,
  type TokenStatus,
} from './schemas';
import { connectionSettings } from './service/connection-settings';
import { createToken } from './service/create-token';
import { deletePassword } from './service/delete-password';
import { deleteToken } from './service/delete-token';
import { regeneratePasswords } from './service/regenerate-passwords';
import { updateToken } from './service/update-token';

/** Tokens appear on their own pages, in scope maps' token counts and on the Overview. */
function revalidateTokenViews(kind: TokenDto['kind'] | 'unknown' = 'unknown') {
  revalidatePath('/tokens', 'layout');
  revalidatePath('/scope-maps', 'layout');
  revalidatePath('/');
  // a sync token's status is its connected registry's enabled/disabled state
  if (kind !== 'client') {
    revalidatePath('/hierarchy');
    revalidatePath('/connected-registries', 'layout');
  }
}

/** What the token form sends: createTokenInput's input (an existing scope map, a new one, or inline permissions). */
export type CreateTokenActionInput = z.input<typeof createTokenInput>;

export type CreatedTokenResult = { name: string; passwords: RevealedPassword[] };

export type CreateTokenActionState = ActionState<CreatedTokenResult>;

/** Creates the token, and its new scope map when it asks for one, in one transaction: both or neither. */
export async function createTokenAction(registry: string, input: CreateTokenActionInput): Promise<CreateTokenActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    const { token: created, passwords } = await createToken(actor, registry, parseInput(createTokenInput, input));
    revalidateTokenViews('client');
    return { name: created.name, passwords };
  });
}

export async function updateTokenAction(
  registry: string,
  name: string,
  patch: { status?: TokenStatus; scopeMap?: string },
): Promise<ActionState<TokenDto>> {
  return runAction(
    async () => {
      const actor = await actionActor();
      const token = await updateToken(actor, registry, name, parseInput(updateTokenInput, patch));
      revalidateTokenViews(token.kind);
      return token;
    },
    patch.scopeMap ? `${name} now uses ${patch.scopeMap}.` : `${name} is ${patch.status}.`,
  );
}

/** Regenerates one slot, or both in one transaction, and returns the new values, once. */
export async function regeneratePasswordsAction(
  registry: string,
  name: string,
  slots: PasswordSlotName[],
  expiry?: string | null,
): Promise<ActionState<RevealedPassword[]>> {
  return runAction(async () => {
    const actor = await actionActor();
    const revealed = await regeneratePasswords(
      actor,
      registry,
      name,
      parseInput(regeneratePasswordInput, { names: slots, expiry: expiry || null }),
    );
    revalidateTokenViews();
    return revealed;
  });
}

export async function deletePasswordAction(registry: string, name: string, slot: PasswordSlotName): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    const token = await deletePassword(actor, registry, name, parseInput(passwordSlotName, slot));
    revalidateTokenViews(token.kind);
    return undefined;
  }, `Deleted ${slot} of ${name}: it no longer works.`);
}

export async function deleteTokenAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor();
    await deleteToken(actor, registry, name);
    revalidateTokenViews('client');
    return undefined;
  }, `Deleted token ${name}.`);
}

/**
 * Regenerates a sync-token slot of a connected registry and returns the full connection string
 * the on-premises registry is deployed with, once.
 */
export async function rotateSyncCredentialsAction(
  registry: string,
  connectedRegistry: string,
  input: { parentProtocol: ParentProtocol; generatePassword: PasswordSlotName; expiry?: string | null },
): Promise<ActionState<{ connectionString: string; parentProtocol: ParentProtocol }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const settings = await connectionSettings(actor, registry, connectedRegistry, parseInput(connectionSettingsInput, input));
    revalidateTokenViews('sync');
    return { connectionString: settings.connectionString, parentProtocol: settings.parentProtocol };
  });
}

/**
 * The connection string of a connected registry without a password (any admin may read it):
 * the Hierarchy details panel's Connection string.
 */
export async function connectionStringAction(
  registry: string,
  connectedRegistry: string,
): Promise<ActionState<{ connectionString: string }>> {
  return runAction(async () => {
    const actor = await actionActor();
    const settings = await connectionSettings(actor, registry, connectedRegistry, parseInput(connectionSettingsInput, {}));
    return { connectionString: settings.connectionString };
  });
}

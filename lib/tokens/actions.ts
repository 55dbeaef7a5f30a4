'use server';
// Server actions for tokens: thin adapters over service.ts. Those that generate a password
// return it in their result, once; the caller keeps it only in component state.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction, type ActionState } from '@/lib/actions';
import { actionActor } from '@/lib/auth/session';
import { AppError, parseInput } from '@/lib/errors';
import { createScopeMap, createScopeMapInput } from '@/lib/scope-maps/service';
import { PASSWORD_SLOTS, type RevealedPassword } from './passwords';
import type { TokenDto } from './queries';
import {
  connectionSettings,
  connectionSettingsInput,
  createToken,
  createTokenInput,
  deletePassword,
  deleteToken,
  regeneratePassword,
  regeneratePasswordInput,
  updateToken,
  updateTokenInput,
} from './service';

const slotName = z.enum(PASSWORD_SLOTS);

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

/** Re-labels an error's field details (e.g. "name" → "newScopeMap.name") so the form can tell them apart. */
function prefixFields(prefix: string, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const details = error.details.map((d) => ({ ...d, field: d.field ? `${prefix}.${d.field}` : undefined }));
  return new AppError(error.status, error.code, error.message, details);
}

export type CreateTokenActionInput = {
  name: string;
  status: 'enabled' | 'disabled';
  /** an existing scope map… */
  scopeMap?: string;
  /** …or a new one, created first */
  newScopeMap?: { name: string; description?: string; actions: string[] };
  expiry?: string | null;
  noPasswords?: boolean;
};

export type CreatedTokenResult = { name: string; passwords: RevealedPassword[] };

export type CreateTokenActionState = ActionState<CreatedTokenResult> & {
  /** set when the new scope map was created but the token was not: the form switches to it */
  createdScopeMap?: string;
};

export async function createTokenAction(registry: string, input: CreateTokenActionInput): Promise<CreateTokenActionState> {
  let createdScopeMap: string | undefined;
  const result = await runAction(async () => {
    const actor = await actionActor('Contributor');
    const { newScopeMap, ...token } = input;
    const tokenInput = parseInput(createTokenInput, { ...token, scopeMap: newScopeMap ? newScopeMap.name : token.scopeMap });
    if (newScopeMap) {
      try {
        const map = await createScopeMap(actor, registry, parseInput(createScopeMapInput, newScopeMap));
        createdScopeMap = map.name;
      } catch (error) {
        throw prefixFields('newScopeMap', error);
      }
    }
    const { token: created, passwords } = await createToken(actor, registry, tokenInput);
    return { name: created.name, passwords };
  });
  if (result.ok || createdScopeMap) revalidateTokenViews('client');
  if (result.ok) return result;
  if (createdScopeMap) {
    return {
      ...result,
      createdScopeMap,
      message: `Scope map ${createdScopeMap} was created, but the token was not: ${result.message} The form now uses ${createdScopeMap}.`,
    };
  }
  return result;
}

export async function updateTokenAction(
  registry: string,
  name: string,
  patch: { status?: 'enabled' | 'disabled'; scopeMap?: string },
): Promise<ActionState<TokenDto>> {
  return runAction(async () => {
    const actor = await actionActor('Contributor');
    const token = await updateToken(actor, registry, name, parseInput(updateTokenInput, patch));
    revalidateTokenViews(token.kind);
    return token;
  }, patch.scopeMap ? `${name} now uses ${patch.scopeMap}.` : `${name} is ${patch.status}.`);
}

/** Regenerates one slot and returns its new value, once. */
export async function regeneratePasswordAction(
  registry: string,
  name: string,
  slot: 'password1' | 'password2',
  expiry?: string | null,
): Promise<ActionState<RevealedPassword>> {
  return runAction(async () => {
    const actor = await actionActor('Contributor');
    const revealed = await regeneratePassword(actor, registry, name, parseInput(regeneratePasswordInput, { name: slot, expiry: expiry || null }));
    revalidateTokenViews();
    return revealed;
  });
}

export async function deletePasswordAction(registry: string, name: string, slot: 'password1' | 'password2'): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor('Contributor');
    const token = await deletePassword(actor, registry, name, parseInput(slotName, slot));
    revalidateTokenViews(token.kind);
    return undefined;
  }, `Deleted ${slot} of ${name}: it no longer works.`);
}

export async function deleteTokenAction(registry: string, name: string): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actionActor('Contributor');
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
  input: { parentProtocol: 'https' | 'http'; generatePassword: 'password1' | 'password2' },
): Promise<ActionState<{ connectionString: string; parentProtocol: 'https' | 'http' }>> {
  return runAction(async () => {
    const actor = await actionActor('Contributor');
    const settings = await connectionSettings(actor, registry, connectedRegistry, parseInput(connectionSettingsInput, input));
    revalidateTokenViews('sync');
    return { connectionString: settings.connectionString, parentProtocol: settings.parentProtocol };
  });
}

// Shared by the tokens' integration tests: a cloud registry with two scope maps, token creation
// through the same schema as the forms, the stored verifiers, the tokens' audit events, and a
// check that a serialized read carries no secret.
import { expect } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createTokenInput } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';
import { createCloudRegistryFixture } from './fixtures';

export const READ = ['repositories/app/content/read', 'repositories/app/metadata/read'];
export const WRITE = [...READ, 'repositories/app/content/write'];

/** A cloud registry with a read-only scope map "pullmap" and a read/write one "pushmap". */
export async function newTokenCloud(actor: Actor): Promise<string> {
  const name = await createCloudRegistryFixture(actor);
  await createScopeMap(actor, name, { name: 'pullmap', actions: READ });
  await createScopeMap(actor, name, { name: 'pushmap', actions: WRITE });
  return name;
}

export const createTokenAs = (actor: Actor, cloud: string, input: Record<string, unknown>) =>
  createToken(actor, cloud, parseInput(createTokenInput, input));

/** The stored verifiers of a token's slots (asked for explicitly: the client omits them). */
export async function verifiers(cloud: string, token: string): Promise<Record<string, string>> {
  const rows = await getDb().tokenPassword.findMany({
    where: { token: { cloudRegistry: { name: cloud }, name: token } },
    omit: { verifier: false },
  });
  return Object.fromEntries(rows.map((r) => [r.slot, r.verifier]));
}

export const tokenAudit = (cloud: string, targetName: string) =>
  getDb().auditEvent.findMany({ where: { registry: cloud, targetType: 'token', targetName }, orderBy: { id: 'asc' } });

/** Fails when a serialized read carries a password value, a verifier, or a key that could hold one. */
export function expectNoSecrets(what: unknown, values: string[]) {
  const text = JSON.stringify(what);
  for (const value of values) expect(text).not.toContain(value);
  expect(text).not.toContain('sha256$');
  expect(text).not.toMatch(/"verifier"/);
  expect(text).not.toMatch(/"value"/);
}

// Rows that integration tests need before they can exercise a use case (admins acting as the
// actors, a cloud registry, a connected registry), made through the same schemas and use cases
// as the forms, with unique names so that tests sharing a database never clash,
// and the refusal helper those tests use to check that a rule said no.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { createAccessToken } from '@/lib/auth/access-tokens';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { AppError, ValidationError, parseInput } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { createCloudRegistry } from '@/lib/registries/service/cloud-registries';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createCloudRegistryInput, createConnectedRegistryInput } from '@/lib/registries/schemas';

/** A name of letters and digits starting with a letter, unique in this run. */
export const uniqueName = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;

type ActorOptions = { passwordHash?: string; disabled?: boolean };

/** An admin row with a unique email, named for its role, and the session actor acting as it. */
export async function createActor(
  role: AdminRole,
  { passwordHash = 'not-used-in-these-tests', disabled = false }: ActorOptions = {},
): Promise<Actor> {
  const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@canopy.test`;
  const row = await getDb().adminUser.create({ data: { email, name: role, role, passwordHash, disabled } });
  return { adminId: row.id, email, name: row.name, role, via: 'session' };
}

/** One actor of each of these roles, in that order: `[contributor, reader] = await createActors('Contributor', 'Reader')`. */
export async function createActors(...roles: AdminRole[]): Promise<Actor[]> {
  const actors: Actor[] = [];
  for (const role of roles) actors.push(await createActor(role));
  return actors;
}

/** createActor, with an access token for the REST API: send `bearer` as `Authorization: Bearer …`. */
export async function createActorWithBearer(role: AdminRole, options: ActorOptions = {}): Promise<Actor & { bearer: string }> {
  const actor = await createActor(role, options);
  const { token } = await createAccessToken(actor, { name: 'tests' });
  return { ...actor, bearer: token };
}

/**
 * A cloud registry (with its system scope maps) in region westus2, created by `actor` through
 * the same schema and use case as the form. Returns its name, unique unless one is given.
 */
export async function createCloudRegistryFixture(actor: Actor, name = uniqueName('cloud')): Promise<string> {
  await createCloudRegistry(
    actor,
    parseInput(createCloudRegistryInput, { name, loginServer: `${name.toLowerCase()}.azurecr.io`, region: 'westus2' }),
  );
  return name;
}

/**
 * A connected registry in `cloud`, created by `actor` through the same schema and use case as the
 * form: `fields` over a login server `<name>.local:5000` and the repository `app`. Returns what
 * the use case returns (its connection string among it).
 */
export function createConnectedRegistryFixture(actor: Actor, cloud: string, fields: { name: string } & Record<string, unknown>) {
  return createConnectedRegistry(
    actor,
    cloud,
    parseInput(createConnectedRegistryInput, { loginServer: `${fields.name.toLowerCase()}.local:5000`, repositories: ['app'], ...fields }),
  );
}

/** Awaits a call that a rule should refuse, fails unless it is refused with an AppError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to be refused').toBeInstanceOf(AppError);
  return error as AppError;
}

/** The zod schema's refusal of `input`, as the REST layer and the forms see it; fails if the input is accepted. */
export function schemaRejection(schema: Parameters<typeof parseInput>[0], input: unknown): ValidationError {
  let caught: unknown;
  try {
    parseInput(schema, input);
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected the schema to refuse the input').toBeInstanceOf(ValidationError);
  return caught as ValidationError;
}

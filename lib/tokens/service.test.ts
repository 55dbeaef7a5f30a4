// Over 300 lines on purpose (after the password slots moved to passwords-service.test.ts): the
// token's create, read, update and delete rules on shared cloud registries.
// Tokens against a real database: passwords shown once and stored only as salted verifiers,
// reads that never carry a password or verifier, status and scope-map changes with their
// rules, deletion rules, and roles. Slot rotation and deletion: passwords-service.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, parseInput } from '@/lib/errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { getConnectedRegistry, hierarchyTree, listClientTokens } from '@/lib/registries/queries';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { setupTestDatabase } from '@/test/db';
import { createActors, rejection } from '@/test/fixtures';
import { createTokenAs, expectNoSecrets, newTokenCloud, READ, tokenAudit, verifiers } from '@/test/token-fixtures';
import { verifyTokenPassword } from './passwords';
import { getToken, listTokens } from './queries';
import { createTokenInput, listTokensQuery, regeneratePasswordInput, updateTokenInput } from './schemas';
import { deleteToken } from './service/delete-token';
import { regeneratePassword } from './service/regenerate-passwords';
import { updateToken } from './service/update-token';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
beforeAll(async () => {
  [contributor, reader] = await createActors('Contributor', 'Reader');
});

/** A cloud registry with a read-only scope map "pullmap" and a read/write one "pushmap". */
const newCloud = () => newTokenCloud(contributor);
const create = (cloud: string, input: Record<string, unknown>, actor = contributor) => createTokenAs(actor, cloud, input);
const newConnected = (cloud: string, input: Record<string, unknown>) =>
  createConnectedRegistry(contributor, cloud, parseInput(createConnectedRegistryInput, input));

describe('createToken', () => {
  it('returns both passwords once: 43 base64url characters each, distinct, with creation time and expiry', async () => {
    const cloud = await newCloud();
    const expiry = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
    const { token, passwords } = await create(cloud, { name: 'ci-pull', scopeMap: 'pullmap', expiry });
    expect(passwords.map((p) => p.name)).toEqual(['password1', 'password2']);
    for (const p of passwords) {
      expect(p.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(p.creationTime)).not.toBeNaN();
      expect(p.expiry).toBe(expiry);
    }
    expect(passwords[0].value).not.toBe(passwords[1].value);
    expect(token).toMatchObject({
      name: 'ci-pull',
      scopeMap: 'pullmap',
      readOnly: true,
      status: 'enabled',
      kind: 'client',
      syncRegistry: null,
      acceptedBy: [],
    });
    expect(token.passwords.map((p) => [p.name, p.expiry, p.state])).toEqual([
      ['password1', expiry, 'valid'],
      ['password2', expiry, 'valid'],
    ]);
    // the token in the response carries the slots' metadata, never their values
    expectNoSecrets(
      token,
      passwords.map((p) => p.value),
    );
  });

  it('creates no passwords with noPasswords, and a disabled token when asked', async () => {
    const cloud = await newCloud();
    const { token, passwords } = await create(cloud, { name: 'no-pw-token', scopeMap: 'pullmap', noPasswords: true, status: 'disabled' });
    expect(passwords).toEqual([]);
    expect(token.passwords).toEqual([]);
    expect(token.status).toBe('disabled');
    expect(await verifiers(cloud, 'no-pw-token')).toEqual({});
  });

  it('stores only salted verifiers that check the shown values and contain neither value', async () => {
    const cloud = await newCloud();
    const { passwords } = await create(cloud, { name: 'stored-token', scopeMap: 'pullmap' });
    const [one, two] = passwords;

    // by default the client leaves the verifier out
    const plain = await getDb().tokenPassword.findFirstOrThrow({
      where: { token: { cloudRegistry: { name: cloud }, name: 'stored-token' } },
    });
    expect(plain).not.toHaveProperty('verifier');

    const stored = await verifiers(cloud, 'stored-token');
    expect(Object.keys(stored).sort()).toEqual(['password1', 'password2']);
    for (const verifier of Object.values(stored)) {
      expect(verifier).toMatch(/^sha256\$[A-Za-z0-9_-]+\$[0-9a-f]{64}$/);
      expect(verifier).not.toContain(one.value);
      expect(verifier).not.toContain(two.value);
    }
    expect(stored.password1).not.toBe(stored.password2);
    expect(verifyTokenPassword(stored.password1, one.value)).toBe(true);
    expect(verifyTokenPassword(stored.password2, two.value)).toBe(true);
    // each slot checks its own value only
    expect(verifyTokenPassword(stored.password1, two.value)).toBe(false);
    expect(verifyTokenPassword(stored.password2, one.value)).toBe(false);

    // nothing else in the database holds the values: not the rows, not the audit trail
    const rows = await getDb().tokenPassword.findMany({ omit: { verifier: false } });
    const audit = await getDb().auditEvent.findMany();
    for (const value of [one.value, two.value]) {
      expect(JSON.stringify(rows)).not.toContain(value);
      expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(value);
    }
  });

  it('writes a token.create event naming the scope map and slots', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'audited-token', scopeMap: 'pushmap' });
    const events = await tokenAudit(cloud, 'audited-token');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'token.create', actorId: contributor.adminId });
    expect(events[0].details).toEqual({ scopeMap: 'pushmap', status: 'enabled', passwords: ['password1', 'password2'], expiry: null });
  });

  it('refuses a taken name (409), an unknown scope map (400), and a sync scope map (409), writing nothing', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'taken-token', scopeMap: 'pullmap' });
    const taken = await rejection(create(cloud, { name: 'TAKEN-token', scopeMap: 'pullmap' }));
    expect([taken.status, taken.details]).toEqual([409, [{ field: 'name', message: 'This name is taken.' }]]);

    const unknown = await rejection(create(cloud, { name: 'lost-token', scopeMap: 'nosuchmap' }));
    expect(unknown).toBeInstanceOf(ValidationError);
    expect(unknown.details[0].field).toBe('scopeMap');

    const edge = await newConnected(cloud, { name: 'edgeone', loginServer: 'edge.local', repositories: ['app'] });
    const sync = await rejection(create(cloud, { name: 'sneaky-token', scopeMap: edge.syncScopeMap }));
    expect(sync).toBeInstanceOf(ConflictError);
    expect(sync.details[0].field).toBe('scopeMap');

    const names = (await getDb().token.findMany({ where: { cloudRegistry: { name: cloud } }, select: { name: true } }))
      .map((t) => t.name)
      .sort();
    expect(names).toEqual(['edgeone-sync-token', 'taken-token']);
  });

  it('refuses through its schema an expiry in the past, a malformed expiry, and an expiry with noPasswords', () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const cases: [unknown, string][] = [
      [{ name: 'expired-token', scopeMap: 'pullmap', expiry: past }, 'The expiry must be in the future.'],
      [{ name: 'expired-token', scopeMap: 'pullmap', expiry: 'tomorrow' }, 'Use an RFC 3339 time, e.g. 2027-01-31T00:00:00Z.'],
      // a date without a time is malformed, and only that is said (not also "in the past")
      [{ name: 'expired-token', scopeMap: 'pullmap', expiry: '2020-01-01' }, 'Use an RFC 3339 time, e.g. 2027-01-31T00:00:00Z.'],
      [
        { name: 'expired-token', scopeMap: 'pullmap', noPasswords: true, expiry: new Date(Date.now() + 86_400_000).toISOString() },
        'An expiry needs passwords: drop noPasswords or the expiry.',
      ],
    ];
    for (const [input, message] of cases) {
      const error = (() => {
        try {
          parseInput(createTokenInput, input);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ field: 'expiry', message }]);
    }
    expect(() => parseInput(regeneratePasswordInput, { name: 'password1', expiry: past })).toThrow(ValidationError);
    expect(() => parseInput(regeneratePasswordInput, { name: 'password3' })).toThrow(ValidationError);
    expect(() => parseInput(createTokenInput, { name: 'abcd', scopeMap: 'pullmap' })).toThrow(ValidationError);
    expect(() => parseInput(createTokenInput, { name: 'under_score', scopeMap: 'pullmap' })).toThrow(ValidationError);
  });
});

describe('reading tokens', () => {
  it('getToken, listTokens and the registry reads never carry a password value or verifier', async () => {
    const cloud = await newCloud();
    const client = await create(cloud, { name: 'reader-visible', scopeMap: 'pullmap' });
    const edge = await newConnected(cloud, {
      name: 'edgeread',
      loginServer: 'edge.local',
      repositories: ['app'],
      clientTokens: ['reader-visible'],
    });
    const sync = await regeneratePassword(contributor, cloud, edge.syncToken, { name: 'password1' });
    const values = [...client.passwords.map((p) => p.value), sync.value];
    const stored = [...Object.values(await verifiers(cloud, 'reader-visible')), ...Object.values(await verifiers(cloud, edge.syncToken))];
    expect(stored).toHaveLength(3);

    const reads = {
      token: await getToken(cloud, 'reader-visible'),
      syncToken: await getToken(cloud, edge.syncToken),
      list: await listTokens(cloud, parseInput(listTokensQuery, {})),
      syncList: await listTokens(cloud, parseInput(listTokensQuery, { kind: 'sync' })),
      registry: await getConnectedRegistry(cloud, 'edgeread'),
      clientTokens: await listClientTokens(cloud, 'edgeread'),
    };
    expectNoSecrets(reads, [...values, ...stored.map((v) => v.split('$')[2])]);
    // and still say which slots exist
    expect(reads.token.passwords.map((p) => p.name)).toEqual(['password1', 'password2']);
    expect(reads.syncToken.passwords.map((p) => p.name)).toEqual(['password1']);
    expect(reads.list.items.map((t) => t.name)).toEqual(['edgeread-sync-token', 'reader-visible']);
    expect(reads.token.acceptedBy).toEqual(['edgeread']);
  });
});

describe('updateToken', () => {
  it('changes the status and the scope map and records before and after', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'changing', scopeMap: 'pullmap' });
    const dto = await updateToken(
      contributor,
      cloud,
      'changing',
      parseInput(updateTokenInput, { status: 'disabled', scopeMap: 'pushmap' }),
    );
    expect(dto).toMatchObject({ status: 'disabled', scopeMap: 'pushmap', readOnly: false });
    expect(await getToken(cloud, 'changing')).toMatchObject({ status: 'disabled', scopeMap: 'pushmap' });
    const events = await tokenAudit(cloud, 'changing');
    expect(events[1]).toMatchObject({ action: 'token.update' });
    expect(events[1].details).toEqual({
      before: { status: 'enabled', scopeMap: 'pullmap' },
      after: { status: 'disabled', scopeMap: 'pushmap' },
    });
  });

  it('refuses to give a sync token another scope map (409), writing nothing', async () => {
    const cloud = await newCloud();
    const edge = await newConnected(cloud, { name: 'edgesync', loginServer: 'edge.local', repositories: ['app'] });
    const error = await rejection(updateToken(contributor, cloud, edge.syncToken, { scopeMap: 'pullmap' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toContain('edgesync');
    expect((await getToken(cloud, edge.syncToken)).scopeMap).toBe(edge.syncScopeMap);
    expect(await tokenAudit(cloud, edge.syncToken)).toHaveLength(0);
    // naming its own map is no change, and is accepted
    await expect(updateToken(contributor, cloud, edge.syncToken, { scopeMap: edge.syncScopeMap })).resolves.toMatchObject({
      scopeMap: edge.syncScopeMap,
    });
  });

  it('refuses a write scope map for a client token a ReadOnly registry accepts (409 readonly_violation), but allows a read-only one', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'kiosk-client', scopeMap: 'pullmap' });
    await newConnected(cloud, {
      name: 'kioskone',
      mode: 'ReadOnly',
      loginServer: 'kiosk.local',
      repositories: ['app'],
      clientTokens: ['kiosk-client'],
    });
    const error = await rejection(updateToken(contributor, cloud, 'kiosk-client', { scopeMap: 'pushmap', status: 'disabled' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect([error.status, error.code]).toEqual([409, 'readonly_violation']);
    expect(error.message).toContain('kioskone');
    expect(await getToken(cloud, 'kiosk-client')).toMatchObject({ scopeMap: 'pullmap', status: 'enabled' });
    expect((await tokenAudit(cloud, 'kiosk-client')).map((e) => e.action)).toEqual(['token.create']);

    await createScopeMap(contributor, cloud, { name: 'pullmore', actions: [...READ, 'repositories/more/content/read'] });
    await expect(updateToken(contributor, cloud, 'kiosk-client', { scopeMap: 'pullmore' })).resolves.toMatchObject({
      scopeMap: 'pullmore',
    });
  });

  it('disabling a sync token disables its connected registry, and enabling it enables it again', async () => {
    const cloud = await newCloud();
    const edge = await newConnected(cloud, { name: 'edgetoggle', loginServer: 'edge.local', repositories: ['app'] });
    expect(edge.disabled).toBe(false);

    await updateToken(contributor, cloud, edge.syncToken, { status: 'disabled' });
    expect((await getConnectedRegistry(cloud, 'edgetoggle')).disabled).toBe(true);
    expect((await hierarchyTree(cloud)).nodes.find((n) => n.name === 'edgetoggle')?.disabled).toBe(true);

    await updateToken(contributor, cloud, edge.syncToken, { status: 'enabled' });
    expect((await getConnectedRegistry(cloud, 'edgetoggle')).disabled).toBe(false);

    const events = await tokenAudit(cloud, edge.syncToken);
    expect(events.map((e) => e.action)).toEqual(['connectedRegistry.disable', 'connectedRegistry.enable']);
    expect(events[0].details).toMatchObject({
      connectedRegistry: 'edgetoggle',
      before: { status: 'enabled' },
      after: { status: 'disabled' },
    });
  });

  it('refuses a Reader with ForbiddenError and answers 404 for an unknown token', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'reader-target', scopeMap: 'pullmap' });
    expect(await rejection(updateToken(reader, cloud, 'reader-target', { status: 'disabled' }))).toBeInstanceOf(ForbiddenError);
    expect((await getToken(cloud, 'reader-target')).status).toBe('enabled');
    expect(await rejection(updateToken(contributor, cloud, 'missing-token', { status: 'disabled' }))).toBeInstanceOf(NotFoundError);
    expect(await rejection(create(cloud, { name: 'reader-made', scopeMap: 'pullmap' }, reader))).toBeInstanceOf(ForbiddenError);
    expect(await rejection(getToken(cloud, 'reader-made'))).toBeInstanceOf(NotFoundError);
  });
});

describe('deleteToken', () => {
  it('deletes a client token with its passwords and writes token.delete', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'doomed-token', scopeMap: 'pullmap' });
    await deleteToken(contributor, cloud, 'doomed-token');
    expect(await rejection(getToken(cloud, 'doomed-token'))).toBeInstanceOf(NotFoundError);
    expect(await verifiers(cloud, 'doomed-token')).toEqual({});
    expect(await getDb().tokenPassword.count({ where: { token: { cloudRegistry: { name: cloud } } } })).toBe(0);
    const events = await tokenAudit(cloud, 'doomed-token');
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['token.create', expect.anything()],
      ['token.delete', { scopeMap: 'pullmap' }],
    ]);
  });

  it('is refused for a sync token while its registry exists (409 sync_token)', async () => {
    const cloud = await newCloud();
    const edge = await newConnected(cloud, { name: 'edgekeep', loginServer: 'edge.local', repositories: ['app'] });
    const error = await rejection(deleteToken(contributor, cloud, edge.syncToken));
    expect(error).toBeInstanceOf(ConflictError);
    expect([error.status, error.code]).toEqual([409, 'sync_token']);
    expect(error.message).toContain('edgekeep');
    expect((await getToken(cloud, edge.syncToken)).syncRegistry).toBe('edgekeep');
  });

  it('is refused for a token a connected registry accepts (409 in_use naming the registry)', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'accepted-token', scopeMap: 'pullmap' });
    await newConnected(cloud, { name: 'edgeaccept', loginServer: 'edge.local', repositories: ['app'], clientTokens: ['accepted-token'] });
    const error = await rejection(deleteToken(contributor, cloud, 'accepted-token'));
    expect(error).toBeInstanceOf(ConflictError);
    expect([error.status, error.code]).toEqual([409, 'in_use']);
    expect(error.message).toContain('edgeaccept');
    expect((await getToken(cloud, 'accepted-token')).acceptedBy).toEqual(['edgeaccept']);
    expect(Object.keys(await verifiers(cloud, 'accepted-token'))).toHaveLength(2);
  });

  it('refuses a Reader with ForbiddenError', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'reader-kept', scopeMap: 'pullmap' });
    expect(await rejection(deleteToken(reader, cloud, 'reader-kept'))).toBeInstanceOf(ForbiddenError);
    expect((await getToken(cloud, 'reader-kept')).name).toBe('reader-kept');
  });
});

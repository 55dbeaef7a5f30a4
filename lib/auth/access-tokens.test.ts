import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { recordAudit } from '@/lib/audit/record';
import { getDb } from '@/lib/db/client';
import { ConflictError, NotFoundError } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { setupTestDatabase } from '@/test/db';
import { createActor } from '@/test/fixtures';
import { authenticateAccessToken, createAccessToken, listAccessTokens, revokeAccessToken } from './access-tokens';
import { sha256Hex } from './secrets';

// recordAudit stays real; a test makes it fail once to prove it shares the change's transaction
vi.mock('@/lib/audit/record', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/audit/record')>();
  return { ...original, recordAudit: vi.fn(original.recordAudit) };
});

setupTestDatabase();

const makeActor = (role: AdminRole = 'Reader') => createActor(role);

const auditCount = (targetName: string) => getDb().auditEvent.count({ where: { targetType: 'accessToken', targetName } });

describe('access tokens', () => {
  it('are shown once as a cnp_ value, and only a SHA-256 verifier is stored', async () => {
    const actor = await makeActor();
    const created = await createAccessToken(actor, { name: 'ci' });
    expect(created.name).toBe('ci');
    expect(created.token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(created.createdAt)).not.toBeNaN();

    // secret columns are left out unless asked for
    const plain = await getDb().accessToken.findFirstOrThrow({ where: { adminId: actor.adminId } });
    expect(plain).not.toHaveProperty('verifier');

    const row = await getDb().accessToken.findFirstOrThrow({ where: { adminId: actor.adminId }, omit: { verifier: false } });
    expect(row.verifier).toBe(sha256Hex(created.token));
    expect(row.verifier).not.toContain(created.token.slice(4));
    const rows = await getDb().accessToken.findMany({ omit: { verifier: false } });
    expect(rows.some((r) => JSON.stringify(r).includes(created.token.slice(4)))).toBe(false);

    // the list never carries the value
    const listed = await listAccessTokens(actor);
    expect(listed).toEqual([{ name: 'ci', createdAt: created.createdAt, lastUsedAt: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('authenticate as their admin and record when they were last used', async () => {
    const actor = await makeActor('Contributor');
    const { token } = await createAccessToken(actor, { name: 'deploy' });
    const authenticated = await authenticateAccessToken(token);
    expect(authenticated).toEqual({ ...actor, via: 'access-token' });
    const [listed] = await listAccessTokens(actor);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('do not authenticate a value that is unknown, altered or lacks the prefix', async () => {
    const actor = await makeActor();
    const { token } = await createAccessToken(actor, { name: 'ci' });
    expect(await authenticateAccessToken(`${token}x`)).toBeNull();
    expect(await authenticateAccessToken(token.slice(4))).toBeNull();
    expect(await authenticateAccessToken('cnp_unknown')).toBeNull();
    expect(await authenticateAccessToken('')).toBeNull();
  });

  it('refuse a second token of the same name of one admin with ConflictError (409), but allow it for another admin', async () => {
    const actor = await makeActor();
    await createAccessToken(actor, { name: 'ci' });
    const error = await createAccessToken(actor, { name: 'ci' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect((error as ConflictError).details).toEqual([{ field: 'name', message: 'This name is taken.' }]);
    expect(await getDb().accessToken.count({ where: { adminId: actor.adminId } })).toBe(1);

    const other = await makeActor();
    await expect(createAccessToken(other, { name: 'ci' })).resolves.toMatchObject({ name: 'ci' });
  });

  it('stop working once revoked', async () => {
    const actor = await makeActor();
    const { token } = await createAccessToken(actor, { name: 'laptop' });
    expect(await authenticateAccessToken(token)).not.toBeNull();
    await revokeAccessToken(actor, 'laptop');
    expect(await authenticateAccessToken(token)).toBeNull();
    expect(await listAccessTokens(actor)).toEqual([]);
  });

  it('refuse to revoke a name that does not exist with NotFoundError, and never another admin’s token', async () => {
    const actor = await makeActor();
    await expect(revokeAccessToken(actor, 'nothing')).rejects.toBeInstanceOf(NotFoundError);

    const other = await makeActor();
    const { token } = await createAccessToken(other, { name: 'theirs' });
    await expect(revokeAccessToken(actor, 'theirs')).rejects.toBeInstanceOf(NotFoundError);
    expect(await authenticateAccessToken(token)).not.toBeNull();
  });

  it('write an audit event for each creation and revocation, by the acting admin', async () => {
    const actor = await makeActor();
    const name = `audited-${randomUUID().slice(0, 8)}`;
    await createAccessToken(actor, { name });
    expect(await auditCount(name)).toBe(1);
    await revokeAccessToken(actor, name);
    expect(await auditCount(name)).toBe(2);
    const events = await getDb().auditEvent.findMany({ where: { targetName: name }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actorName, e.actorId])).toEqual([
      ['accessToken.create', actor.email, actor.adminId],
      ['accessToken.revoke', actor.email, actor.adminId],
    ]);
  });

  it('write no audit event when the change is refused (same transaction)', async () => {
    const actor = await makeActor();
    const name = `refused-${randomUUID().slice(0, 8)}`;
    await createAccessToken(actor, { name });
    await createAccessToken(actor, { name }).catch(() => undefined);
    await revokeAccessToken(actor, `${name}-missing`).catch(() => undefined);
    expect(await auditCount(name)).toBe(1);
    expect(await auditCount(`${name}-missing`)).toBe(0);
  });

  it('are not created, nor revoked, when their audit event cannot be written', async () => {
    const actor = await makeActor();
    vi.mocked(recordAudit).mockRejectedValueOnce(new Error('audit table unavailable'));
    await expect(createAccessToken(actor, { name: 'unaudited' })).rejects.toThrow('audit table unavailable');
    expect(await getDb().accessToken.count({ where: { adminId: actor.adminId } })).toBe(0);

    const { token } = await createAccessToken(actor, { name: 'kept' });
    vi.mocked(recordAudit).mockRejectedValueOnce(new Error('audit table unavailable'));
    await expect(revokeAccessToken(actor, 'kept')).rejects.toThrow('audit table unavailable');
    expect(await authenticateAccessToken(token)).not.toBeNull();
  });

  it('of a disabled admin stop working', async () => {
    const actor = await makeActor('Owner');
    const { token } = await createAccessToken(actor, { name: 'ci' });
    await getDb().adminUser.update({ where: { id: actor.adminId }, data: { disabled: true } });
    expect(await authenticateAccessToken(token)).toBeNull();
    await getDb().adminUser.update({ where: { id: actor.adminId }, data: { disabled: false } });
    expect(await authenticateAccessToken(token)).not.toBeNull();
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyAdminPassword } from '@/lib/auth/password';
import { authenticateAdmin } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db/client';
import { ConflictError, ForbiddenError, NotFoundError } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActor } from '@/test/fixtures';
import { adminExists, createAdmin, ensureFirstAdmin, listAdmins, updateAdmin } from './service';

// A test can make recordAudit (the last step inside each change's transaction) wait for a
// second concurrent change to get there too, so that two transactions overlap for certain.
const rendezvous = vi.hoisted(() => ({ waiting: null as null | { arrived: number; release: () => void; done: Promise<void> } }));
vi.mock('@/lib/audit/record', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/audit/record')>();
  return {
    ...original,
    recordAudit: async (...args: Parameters<typeof original.recordAudit>) => {
      const r = rendezvous.waiting;
      if (r) {
        r.arrived += 1;
        if (r.arrived === 2) r.release();
        // a change that serializes behind the first never arrives: give up waiting after a while
        await Promise.race([r.done, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      return original.recordAudit(...args);
    },
  };
});

setupTestDatabase();

// Each test starts with no admin at all (access tokens go with them).
beforeEach(async () => {
  await getDb().adminUser.deleteMany();
  await getDb().auditEvent.deleteMany();
});

const seedAdmin = (role: AdminRole, disabled = false) => createActor(role, { disabled });

const newAdmin = (email: string, role: AdminRole = 'Reader') => ({ email, name: 'New admin', password: 'a-long-password-123', role });

describe('ensureFirstAdmin', () => {
  it('creates the Owner admin@localhost with a generated password when no credentials are given, and nothing the second time', async () => {
    expect(await adminExists()).toBe(false);
    const first = await ensureFirstAdmin({});
    expect(first?.email).toBe('admin@localhost');
    expect(first?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const row = await getDb().adminUser.findUniqueOrThrow({ where: { email: 'admin@localhost' }, omit: { passwordHash: false } });
    expect(row.role).toBe('Owner');
    expect(row.disabled).toBe(false);
    expect(row.passwordHash).not.toContain(first!.generatedPassword!);
    expect(await verifyAdminPassword(row.passwordHash, first!.generatedPassword!)).toBe(true);

    expect(await ensureFirstAdmin({})).toBeNull();
    expect(await getDb().adminUser.count()).toBe(1);
  });

  it('uses CANOPY_ADMIN_EMAIL and CANOPY_ADMIN_PASSWORD when given, and returns no password', async () => {
    const env = { CANOPY_ADMIN_EMAIL: 'Ops@Example.COM', CANOPY_ADMIN_PASSWORD: 'chosen-by-the-operator' };
    const first = await ensureFirstAdmin(env);
    expect(first).toEqual({ email: 'ops@example.com', generatedPassword: undefined });
    const actor = await authenticateAdmin('ops@example.com', 'chosen-by-the-operator', 'test', 'basic');
    expect(actor.role).toBe('Owner');
  });

  it('does nothing when an admin exists already', async () => {
    await seedAdmin('Reader');
    expect(await ensureFirstAdmin({ CANOPY_ADMIN_EMAIL: 'late@canopy.test', CANOPY_ADMIN_PASSWORD: 'another-password' })).toBeNull();
    expect(await getDb().adminUser.findUnique({ where: { email: 'late@canopy.test' } })).toBeNull();
  });

  itOnPostgresServer('creates exactly one admin when called concurrently', async () => {
    const results = await Promise.all([ensureFirstAdmin({}), ensureFirstAdmin({}), ensureFirstAdmin({})]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await getDb().adminUser.count()).toBe(1);
  });

  it('writes an admin.bootstrap audit event by the system', async () => {
    await ensureFirstAdmin({});
    const events = await getDb().auditEvent.findMany();
    expect(events.map((e) => [e.actorType, e.actorName, e.action, e.targetName])).toEqual([
      ['system', 'system', 'admin.bootstrap', 'admin@localhost'],
    ]);
  });
});

describe('createAdmin', () => {
  it('lets an Owner add an admin, stored with a normalized email and a hashed password', async () => {
    const owner = await seedAdmin('Owner');
    const created = await createAdmin(owner, newAdmin('New.Reader@Canopy.test', 'Reader'));
    expect(created).toMatchObject({
      email: 'new.reader@canopy.test',
      name: 'New admin',
      role: 'Reader',
      disabled: false,
      lastSignInAt: null,
    });
    expect(created).not.toHaveProperty('passwordHash');
    const actor = await authenticateAdmin('new.reader@canopy.test', 'a-long-password-123', 'test', 'basic');
    expect(actor.adminId).toBe(created.id);
  });

  it('requires the Owner role', async () => {
    const contributor = await seedAdmin('Contributor');
    await expect(createAdmin(contributor, newAdmin('x@canopy.test'))).rejects.toBeInstanceOf(ForbiddenError);
    const reader = await seedAdmin('Reader');
    await expect(createAdmin(reader, newAdmin('x@canopy.test'))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await getDb().adminUser.findUnique({ where: { email: 'x@canopy.test' } })).toBeNull();
  });

  it('refuses an email that is taken, whatever its case, with ConflictError', async () => {
    const owner = await seedAdmin('Owner');
    await createAdmin(owner, newAdmin('dup@canopy.test'));
    const error = await createAdmin(owner, newAdmin('DUP@canopy.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).status).toBe(409);
    expect((error as ConflictError).details).toEqual([{ field: 'email', message: 'This email is taken.' }]);
    expect(await getDb().adminUser.count({ where: { email: 'dup@canopy.test' } })).toBe(1);
  });

  it('writes an admin.create audit event with the role', async () => {
    const owner = await seedAdmin('Owner');
    await createAdmin(owner, newAdmin('audited@canopy.test', 'Contributor'));
    const [event] = await getDb().auditEvent.findMany({ where: { action: 'admin.create' } });
    expect(event).toMatchObject({
      actorName: owner.email,
      actorId: owner.adminId,
      targetType: 'admin',
      targetName: 'audited@canopy.test',
      details: { role: 'Contributor' },
    });
  });
});

describe('updateAdmin', () => {
  it('refuses to demote the last enabled Owner', async () => {
    const owner = await seedAdmin('Owner');
    const error = await updateAdmin(owner, owner.email, { role: 'Contributor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((await getDb().adminUser.findUniqueOrThrow({ where: { id: owner.adminId } })).role).toBe('Owner');
  });

  it('refuses to disable the last enabled Owner', async () => {
    const owner = await seedAdmin('Owner');
    await seedAdmin('Contributor');
    await expect(updateAdmin(owner, owner.email, { disabled: true })).rejects.toBeInstanceOf(ConflictError);
    expect((await getDb().adminUser.findUniqueOrThrow({ where: { id: owner.adminId } })).disabled).toBe(false);
  });

  it('does not count a disabled Owner as another Owner', async () => {
    const owner = await seedAdmin('Owner');
    await seedAdmin('Owner', true);
    await expect(updateAdmin(owner, owner.email, { role: 'Reader' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('allows demoting or disabling an Owner when another enabled Owner exists', async () => {
    const owner = await seedAdmin('Owner');
    const second = await seedAdmin('Owner');
    const demoted = await updateAdmin(owner, second.email, { role: 'Contributor' });
    expect(demoted.role).toBe('Contributor');
    await expect(updateAdmin(owner, owner.email, { disabled: true })).rejects.toBeInstanceOf(ConflictError);

    const third = await seedAdmin('Owner');
    const disabled = await updateAdmin(owner, third.email, { disabled: true });
    expect(disabled.disabled).toBe(true);
    const self = await updateAdmin(owner, owner.email, { role: 'Owner' });
    expect(self.role).toBe('Owner');
  });

  it('leaves one Owner when two Owners demote each other at the same moment', async () => {
    const a = await seedAdmin('Owner');
    const b = await seedAdmin('Owner');
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    rendezvous.waiting = { arrived: 0, release, done };
    const results = await Promise.allSettled([
      updateAdmin(a, b.email, { role: 'Reader' }),
      updateAdmin(b, a.email, { role: 'Reader' }),
    ]).finally(() => (rendezvous.waiting = null));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    expect(await getDb().adminUser.count({ where: { role: 'Owner', disabled: false } })).toBe(1);
  });

  it('lets an Owner demote themself while another Owner remains', async () => {
    const owner = await seedAdmin('Owner');
    await seedAdmin('Owner');
    expect((await updateAdmin(owner, owner.email, { role: 'Reader' })).role).toBe('Reader');
  });

  it('requires the Owner role and an existing admin', async () => {
    const owner = await seedAdmin('Owner');
    const contributor = await seedAdmin('Contributor');
    await expect(updateAdmin(contributor, owner.email, { disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateAdmin(owner, 'ghost@canopy.test', { role: 'Reader' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('writes an admin.update audit event with the state before and after', async () => {
    const owner = await seedAdmin('Owner');
    const reader = await seedAdmin('Reader');
    await updateAdmin(owner, reader.email.toUpperCase(), { role: 'Contributor', disabled: true });
    const [event] = await getDb().auditEvent.findMany({ where: { action: 'admin.update' } });
    expect(event).toMatchObject({
      actorName: owner.email,
      targetName: reader.email,
      details: { before: { role: 'Reader', disabled: false }, after: { role: 'Contributor', disabled: true } },
    });
  });

  it('writes no audit event when the change is refused', async () => {
    const owner = await seedAdmin('Owner');
    await updateAdmin(owner, owner.email, { role: 'Reader' }).catch(() => undefined);
    expect(await getDb().auditEvent.count()).toBe(0);
  });
});

describe('listAdmins', () => {
  it('lists admins by email for Owners only, without password hashes', async () => {
    const owner = await seedAdmin('Owner');
    const reader = await seedAdmin('Reader');
    const admins = await listAdmins(owner);
    expect(admins.map((a) => a.email)).toEqual([owner.email, reader.email].sort());
    expect(JSON.stringify(admins)).not.toContain('passwordHash');
    await expect(listAdmins(reader)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

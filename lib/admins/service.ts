// Admin users: bootstrap of the first Owner, and the Owner's management of admins.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit/record';
import { hashAdminPassword } from '@/lib/auth/password';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { normalizeEmail } from '@/lib/auth/sign-in';
import { getDb, transaction } from '@/lib/db/client';
import { ConflictError, NotFoundError, isUniqueViolation } from '@/lib/errors';
import type { AdminDto, CreateAdminInput, UpdateAdminInput } from './schemas';

const adminSelect = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastSignInAt: true } as const;

function toDto(a: {
  id: string;
  email: string;
  name: string;
  role: AdminDto['role'];
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
}): AdminDto {
  return { ...a, createdAt: a.createdAt.toISOString(), lastSignInAt: a.lastSignInAt?.toISOString() ?? null };
}

export async function listAdmins(actor: Actor): Promise<AdminDto[]> {
  requireRole(actor, 'Owner');
  const rows = await getDb().adminUser.findMany({ select: adminSelect, orderBy: { email: 'asc' } });
  return rows.map(toDto);
}

export async function createAdmin(actor: Actor, input: CreateAdminInput): Promise<AdminDto> {
  requireRole(actor, 'Owner');
  const passwordHash = await hashAdminPassword(input.password);
  const email = normalizeEmail(input.email);
  try {
    return await transaction(async (tx) => {
      const row = await tx.adminUser.create({
        data: { email, name: input.name, passwordHash, role: input.role },
        select: adminSelect,
      });
      await recordAudit(tx, actor, { action: 'admin.create', targetType: 'admin', targetName: email, details: { role: input.role } });
      return toDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`An admin with the email ${email} exists already.`, [{ field: 'email', message: 'This email is taken.' }]);
    }
    throw error;
  }
}

export async function updateAdmin(actor: Actor, email: string, input: UpdateAdminInput): Promise<AdminDto> {
  requireRole(actor, 'Owner');
  return transaction(async (tx) => {
    // Serialize admin changes so two Owners cannot demote each other at once and leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:admins'))`;
    const admin = await tx.adminUser.findUnique({ where: { email: normalizeEmail(email) }, select: adminSelect });
    if (!admin) throw new NotFoundError(`Admin ${email}`);
    const losesOwner = admin.role === 'Owner' && !admin.disabled && ((input.role && input.role !== 'Owner') || input.disabled === true);
    if (losesOwner) {
      const owners = await tx.adminUser.count({ where: { role: 'Owner', disabled: false } });
      if (owners <= 1) throw new ConflictError('Canopy needs at least one enabled Owner; make another admin an Owner first.');
    }
    const row = await tx.adminUser.update({ where: { id: admin.id }, data: input, select: adminSelect });
    await recordAudit(tx, actor, {
      action: 'admin.update',
      targetType: 'admin',
      targetName: admin.email,
      details: { before: { role: admin.role, disabled: admin.disabled }, after: { role: row.role, disabled: row.disabled } },
    });
    return toDto(row);
  });
}

/**
 * On first start with no admin, create one: from CANOPY_ADMIN_EMAIL / CANOPY_ADMIN_PASSWORD
 * when set, otherwise admin@localhost with a random password that is returned to be printed once.
 */
export async function ensureFirstAdmin(
  env: Record<string, string | undefined> = process.env,
): Promise<{ email: string; generatedPassword?: string } | null> {
  return transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:admins'))`;
    if ((await tx.adminUser.count()) > 0) return null;
    const email = normalizeEmail(env.CANOPY_ADMIN_EMAIL || 'admin@localhost');
    const generated = env.CANOPY_ADMIN_PASSWORD ? undefined : randomBytes(18).toString('base64url');
    const password = env.CANOPY_ADMIN_PASSWORD || generated!;
    await tx.adminUser.create({
      data: { email, name: 'Administrator', passwordHash: await hashAdminPassword(password), role: 'Owner' },
    });
    await recordAudit(tx, 'system', { action: 'admin.bootstrap', targetType: 'admin', targetName: email });
    return { email, generatedPassword: generated };
  });
}

export async function adminExists(): Promise<boolean> {
  return (await getDb().adminUser.count()) > 0;
}

import 'server-only';
import { recordAudit } from '@/lib/audit/record';
import { getDb, transaction } from '@/lib/db/client';
import { ConflictError, NotFoundError, isUniqueViolation } from '@/lib/errors';
import type { Actor } from './roles';
import { generateSecret, sha256Hex } from './secrets';

import type { AccessTokenDto, CreateAccessTokenInput } from './schemas';

const PREFIX = 'cnp_';

export async function createAccessToken(actor: Actor, input: CreateAccessTokenInput) {
  const token = PREFIX + generateSecret();
  try {
    const row = await transaction(async (tx) => {
      const created = await tx.accessToken.create({
        data: { adminId: actor.adminId, name: input.name, verifier: sha256Hex(token) },
      });
      await recordAudit(tx, actor, { action: 'accessToken.create', targetType: 'accessToken', targetName: input.name });
      return created;
    });
    return { name: row.name, token, createdAt: row.createdAt.toISOString() };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`You already have an access token named "${input.name}".`, [
        { field: 'name', message: 'This name is taken.' },
      ]);
    }
    throw error;
  }
}

export async function listAccessTokens(actor: Actor): Promise<AccessTokenDto[]> {
  const rows = await getDb().accessToken.findMany({
    where: { adminId: actor.adminId },
    orderBy: { createdAt: 'desc' },
    select: { name: true, createdAt: true, lastUsedAt: true },
  });
  return rows.map((r) => ({ name: r.name, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

export async function revokeAccessToken(actor: Actor, name: string): Promise<void> {
  await transaction(async (tx) => {
    const { count } = await tx.accessToken.deleteMany({ where: { adminId: actor.adminId, name } });
    if (count === 0) throw new NotFoundError(`Access token "${name}"`);
    await recordAudit(tx, actor, { action: 'accessToken.revoke', targetType: 'accessToken', targetName: name });
  });
}

/** The admin behind a bearer token, or null. Last-used time is written at most once a minute. */
export async function authenticateAccessToken(value: string): Promise<Actor | null> {
  if (!value.startsWith(PREFIX)) return null;
  const row = await getDb().accessToken.findUnique({
    where: { verifier: sha256Hex(value) },
    select: { id: true, lastUsedAt: true, admin: { select: { id: true, email: true, name: true, role: true, disabled: true } } },
  });
  if (!row || row.admin.disabled) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await getDb().accessToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const { admin } = row;
  return { adminId: admin.id, email: admin.email, name: admin.name, role: admin.role, via: 'access-token' };
}

import 'server-only';
// Passwords that expire within 30 days or have expired, across every cloud registry: the
// Overview's warning panel. The states come from the same rule the token lists use (slotState).
import { getDb } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { EXPIRING_WITHIN_MS, slotState } from './queries';
import type { PasswordSlotDto } from './schemas';

export type PasswordExpiryAlert = {
  registry: string;
  token: string;
  kind: 'client' | 'sync';
  /** for a sync token: the connected registry that cannot sync once it expires */
  syncRegistry: string | null;
  slot: PasswordSlotDto['name'];
  expiry: string;
  state: 'expiring' | 'expired';
};

export type PasswordExpiryReport = { expiring: number; expired: number; items: PasswordExpiryAlert[] };

const alertSelect = {
  slot: true,
  expiry: true,
  token: { select: { name: true, cloudRegistry: { select: { name: true } }, syncRegistry: { select: { name: true } } } },
} as const satisfies Prisma.TokenPasswordSelect;

function toAlert(row: Prisma.TokenPasswordGetPayload<{ select: typeof alertSelect }>, now: number): PasswordExpiryAlert {
  const state = slotState(row.expiry, now);
  return {
    registry: row.token.cloudRegistry.name,
    token: row.token.name,
    kind: row.token.syncRegistry ? 'sync' : 'client',
    syncRegistry: row.token.syncRegistry?.name ?? null,
    slot: row.slot,
    expiry: row.expiry!.toISOString(),
    state: state === 'expired' ? 'expired' : 'expiring',
  };
}

/**
 * The counts of expiring and expired passwords, and the most urgent of each: those expiring
 * soonest, then those that expired most recently (`limit` of each).
 */
export async function passwordExpiryReport(limit = 8, now = Date.now()): Promise<PasswordExpiryReport> {
  const db = getDb();
  const nowDate = new Date(now);
  const soon = new Date(now + EXPIRING_WITHIN_MS);
  const expiringWhere = { expiry: { gt: nowDate, lte: soon } } satisfies Prisma.TokenPasswordWhereInput;
  const expiredWhere = { expiry: { lte: nowDate } } satisfies Prisma.TokenPasswordWhereInput;
  const [expiring, expired, expiringRows, expiredRows] = await Promise.all([
    db.tokenPassword.count({ where: expiringWhere }),
    db.tokenPassword.count({ where: expiredWhere }),
    db.tokenPassword.findMany({ where: expiringWhere, orderBy: { expiry: 'asc' }, take: limit, select: alertSelect }),
    db.tokenPassword.findMany({ where: expiredWhere, orderBy: { expiry: 'desc' }, take: limit, select: alertSelect }),
  ]);
  return { expiring, expired, items: [...expiringRows, ...expiredRows].map((r) => toAlert(r, now)) };
}

import type { AdminRole } from '@/lib/generated/prisma/enums';
import { ForbiddenError } from '@/lib/errors';

export type Actor = {
  adminId: string;
  email: string;
  name: string;
  role: AdminRole;
  /** how the request proved who it is */
  via: 'session' | 'access-token' | 'basic';
};

const rank: Record<AdminRole, number> = { Reader: 0, Contributor: 1, Owner: 2 };

export function hasRole(actor: Pick<Actor, 'role'>, needed: AdminRole): boolean {
  return rank[actor.role] >= rank[needed];
}

/** Throws 403 unless the actor's role is at least `needed`. */
export function requireRole(actor: Actor, needed: AdminRole): Actor {
  if (!hasRole(actor, needed)) {
    throw new ForbiddenError(`This needs the ${needed} role; you are ${actor.role === 'Owner' ? 'an' : 'a'} ${actor.role}.`);
  }
  return actor;
}

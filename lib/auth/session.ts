import 'server-only';
// Who is signed in. Every page, action and handler asks here itself; proxy.ts only redirects.
// The role and the disabled flag are read from the database on each request, so a change by
// an Owner applies at once, not when the session cookie expires.
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/db/client';
import { UnauthorizedError } from '@/lib/errors';
import { authOptions } from './options';
import type { Actor } from './roles';

export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const session = (await getServerSession(authOptions)) as { adminId?: string } | null;
  if (!session?.adminId) return null;
  const admin = await getDb().adminUser.findUnique({ where: { id: session.adminId } });
  if (!admin || admin.disabled) return null;
  return { adminId: admin.id, email: admin.email, name: admin.name, role: admin.role, via: 'session' };
});

/** For server actions: the signed-in admin, or an error. The use case the action calls checks the role. */
export async function actionActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) throw new UnauthorizedError('Your session has ended. Sign in again.');
  return actor;
}

/** For pages: the signed-in admin, or a redirect to sign-in. */
export async function pageActor(): Promise<Actor> {
  const actor = await getSessionActor();
  if (!actor) redirect('/sign-in');
  return actor;
}

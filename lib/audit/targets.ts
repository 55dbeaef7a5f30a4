import 'server-only';
// Where the audit log links an event's target: the object's page while the object exists (plain
// text once it is gone). One query per kind of target on the page, not one per row.
import { hasRole, type Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { connectedRegistryHref, scopeMapHref, tokenHref } from '@/lib/tokens/hrefs';
import { webhookHref } from '@/lib/webhooks/client-queries';
import type { AuditEventDto } from './schemas';

type Target = Pick<AuditEventDto, 'targetType' | 'targetName' | 'registry'>;
type InRegistry = { registry: string; name: string };

const key = (registry: string | null, name: string) => `${registry ?? ''}\u0000${name}`;

/** The objects of one kind that still exist among `targets` (by cloud registry and name). */
async function existingInRegistry(
  targets: InRegistry[],
  find: (or: { name: string; cloudRegistry: { name: string } }[]) => Promise<{ name: string; cloudRegistry: { name: string } }[]>,
): Promise<Set<string>> {
  if (!targets.length) return new Set();
  const rows = await find(targets.map((t) => ({ name: t.name, cloudRegistry: { name: t.registry } })));
  return new Set(rows.map((r) => key(r.cloudRegistry.name, r.name)));
}

const HREFS: Record<string, (registry: string, name: string) => string> = {
  connectedRegistry: connectedRegistryHref,
  token: tokenHref,
  scopeMap: scopeMapHref,
  webhook: webhookHref,
};

/** For each event (same order), the href of its target's page, or null when there is none to link. */
export async function auditTargetHrefs(events: Target[], viewer: Actor): Promise<(string | null)[]> {
  const db = getDb();
  const select = { name: true, cloudRegistry: { select: { name: true } } } as const;
  const of = (type: string): InRegistry[] =>
    events.filter((e) => e.targetType === type && e.registry).map((e) => ({ registry: e.registry!, name: e.targetName }));
  const cloudNames = [...new Set(events.filter((e) => e.targetType === 'cloudRegistry').map((e) => e.targetName))];
  const adminEmails = [...new Set(events.filter((e) => e.targetType === 'admin').map((e) => e.targetName))];
  const [connected, tokens, scopeMaps, webhooks, clouds, admins] = await Promise.all([
    existingInRegistry(of('connectedRegistry'), (OR) => db.connectedRegistry.findMany({ where: { OR }, select })),
    existingInRegistry(of('token'), (OR) => db.token.findMany({ where: { OR }, select })),
    existingInRegistry(of('scopeMap'), (OR) => db.scopeMap.findMany({ where: { OR }, select })),
    existingInRegistry(of('webhook'), (OR) => db.webhookEndpoint.findMany({ where: { OR }, select })),
    cloudNames.length ? db.cloudRegistry.findMany({ where: { name: { in: cloudNames } }, select: { name: true } }) : [],
    // the admins page is the Owners' alone
    adminEmails.length && hasRole(viewer, 'Owner')
      ? db.adminUser.findMany({ where: { email: { in: adminEmails } }, select: { email: true } })
      : [],
  ]);
  const existing: Record<string, Set<string>> = { connectedRegistry: connected, token: tokens, scopeMap: scopeMaps, webhook: webhooks };
  const cloudSet = new Set(clouds.map((c) => c.name));
  const adminSet = new Set(admins.map((a) => a.email));
  return events.map((e) => {
    const href = HREFS[e.targetType];
    if (href) return e.registry && existing[e.targetType].has(key(e.registry, e.targetName)) ? href(e.registry, e.targetName) : null;
    if (e.targetType === 'cloudRegistry')
      return cloudSet.has(e.targetName) ? `/hierarchy?${new URLSearchParams({ registry: e.targetName })}` : null;
    if (e.targetType === 'admin') return adminSet.has(e.targetName) ? '/settings/admins' : null;
    if (e.targetType === 'signingKey') return '/settings/token-service';
    return null;
  });
}

import 'server-only';
import { getDb } from '@/lib/db/client';

export type OverviewCounts = { cloudRegistries: number; connectedRegistries: number; tokens: number; scopeMaps: number; admins: number };

export async function overviewCounts(): Promise<OverviewCounts> {
  const db = getDb();
  const [cloudRegistries, connectedRegistries, tokens, scopeMaps, admins] = await Promise.all([
    db.cloudRegistry.count(),
    db.connectedRegistry.count(),
    db.token.count(),
    db.scopeMap.count(),
    db.adminUser.count({ where: { disabled: false } }),
  ]);
  return { cloudRegistries, connectedRegistries, tokens, scopeMaps, admins };
}

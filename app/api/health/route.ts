import { getDb } from '@/lib/db/client';
import { methodsNotAllowed } from '@/lib/api/methods';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok', database: 'reachable' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    console.error('health check: database unreachable', error);
    return Response.json({ status: 'unavailable', database: 'unreachable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

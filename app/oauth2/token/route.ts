import { handleTokenRequest } from '@/lib/token-service/endpoint';
import { methodsNotAllowed } from '@/lib/api/methods';

export const dynamic = 'force-dynamic';

export function GET(req: Request) {
  return handleTokenRequest(req);
}

export function POST(req: Request) {
  return handleTokenRequest(req);
}

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);

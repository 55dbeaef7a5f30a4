import { handleTokenRequest } from '@/lib/token-service/endpoint';

export const dynamic = 'force-dynamic';

export function GET(req: Request) {
  return handleTokenRequest(req);
}

export function POST(req: Request) {
  return handleTokenRequest(req);
}

import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/client-address';
import { authOptions } from '@/lib/auth/options';
import { signInLimits } from '@/lib/auth/sign-in';
import { RateLimitedError } from '@/lib/errors';
import { assertNotLimited } from '@/lib/rate-limit';
import { noteUnexpectedError, unexpectedErrorWait } from '@/lib/rate-limit/unexpected-errors';

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

// A sign-in that is already over its failure limit, or from an address whose requests keep
// ending in unexpected errors, is refused with 429 and Retry-After before next-auth sees it
// (next-auth itself can only answer 401).
async function POST(req: NextRequest, ctx: Ctx) {
  if (req.nextUrl.pathname.endsWith('/callback/credentials')) {
    const address = clientAddress(req.headers);
    const requestId = crypto.randomUUID();
    try {
      const faults = unexpectedErrorWait(address);
      if (faults > 0) throw new RateLimitedError(faults);
      const form = await req
        .clone()
        .formData()
        .catch(() => null);
      await assertNotLimited(signInLimits(form?.get('email')?.toString() ?? '', address));
    } catch (error) {
      if (!(error instanceof RateLimitedError)) return errorResponse(error, requestId, (m, e) => noteUnexpectedError(address, m, e));
      const response = errorResponse(error, requestId);
      const body = (await response.json()) as object;
      const url = new URL('/sign-in', req.nextUrl.origin);
      url.searchParams.set('error', 'rate_limited');
      return Response.json({ ...body, url: url.toString() }, { status: 429, headers: response.headers });
    }
  }
  return handler(req, ctx);
}

export { handler as GET, POST };

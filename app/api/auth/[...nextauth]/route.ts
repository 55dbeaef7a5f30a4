import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { errorResponse } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/client-address';
import { authOptions } from '@/lib/auth/options';
import { signInLimits } from '@/lib/auth/sign-in';
import { RateLimitedError } from '@/lib/errors';
import { assertNotLimited } from '@/lib/rate-limit';

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

// A sign-in that is already over its failure limit is refused with 429 and Retry-After before
// next-auth sees it (next-auth itself can only answer 401).
async function POST(req: NextRequest, ctx: Ctx) {
  if (req.nextUrl.pathname.endsWith('/callback/credentials')) {
    const form = await req.clone().formData();
    const email = form.get('email')?.toString() ?? '';
    try {
      await assertNotLimited(signInLimits(email, clientAddress(req.headers)));
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      const response = errorResponse(error, crypto.randomUUID());
      const body = (await response.json()) as object;
      const url = new URL('/sign-in', req.nextUrl.origin);
      url.searchParams.set('error', 'rate_limited');
      return Response.json({ ...body, url: url.toString() }, { status: 429, headers: response.headers });
    }
  }
  return handler(req, ctx);
}

export { handler as GET, POST };

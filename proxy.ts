// Runs before every request. It sets the Content-Security-Policy with a fresh nonce (Next.js
// applies the nonce to its own scripts) and redirects signed-out visitors of portal pages to
// the sign-in page. It is not the line of defense: every page, action and handler checks the
// session and the role itself.
import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from '@/lib/csp';
import {
  LEGACY_REMEMBERED_REGISTRY_COOKIE,
  REMEMBERED_REGISTRY_COOKIE,
  registryToRemember,
  rememberedRegistryCookie,
} from '@/lib/registries/remembered-registry';

const PUBLIC_PREFIXES = [
  '/sign-in',
  '/api/',
  '/oauth2/',
  '/gateway/',
  '/_next/',
  '/favicon',
  '/icon.svg',
  '/apple-icon',
  '/icons/',
  '/manifest.webmanifest',
];

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  const { pathname, search } = request.nextUrl;

  const isPublic = PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
  if (!isPublic) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const url = request.nextUrl.clone();
      url.pathname = '/sign-in';
      url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
      const redirect = NextResponse.redirect(url);
      redirect.headers.set('Content-Security-Policy', csp);
      return redirect;
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  // a portal page loaded as a document with `?registry=` shows that cloud registry: remember it before
  // any script runs (a prefetch is a fetch, never a document; lib/registries/remembered-registry.ts)
  const remembered =
    !isPublic && request.headers.get('sec-fetch-dest') === 'document' ? registryToRemember(request.nextUrl.searchParams) : null;
  if (remembered && request.cookies.get(REMEMBERED_REGISTRY_COOKIE)?.value !== remembered) {
    response.cookies.set(rememberedRegistryCookie(remembered, request.nextUrl.protocol === 'https:'));
  }
  if (request.cookies.has(LEGACY_REMEMBERED_REGISTRY_COOKIE)) response.cookies.delete(LEGACY_REMEMBERED_REGISTRY_COOKIE);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};

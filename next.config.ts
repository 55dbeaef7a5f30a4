import type { NextConfig } from 'next';

const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // each page's code is loaded when it is first asked for, not all of them at start: an
    // instance that serves registries and edges never pays for pages nobody opens
    preloadEntriesOnStart: false,
  },
  serverExternalPackages: [
    '@node-rs/argon2',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'pg',
    '@peculiar/x509',
    'reflect-metadata',
  ],
  // The Content-Security-Policy (with a per-request nonce) is set by proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // proxy.ts does not run for build assets; they get a policy of their own
      {
        source: '/_next/static/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;

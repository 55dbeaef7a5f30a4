import type { Metadata } from 'next';
import Link from 'next/link';
import { RegistryStateCounts } from '@/components/registries/registry-state-counts';
import { ExpiringPasswordsPanel } from '@/components/tokens/expiring-passwords-panel';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pageActor } from '@/lib/auth/session';
import { overviewCounts } from '@/lib/overview';
import { connectedRegistryHref } from '@/lib/registries/client-queries';
import { detachedConnectedRegistries } from '@/lib/registries/login-servers';
import { registryStateCounts } from '@/lib/registries/state-counts';
import { countStaleRegistries } from '@/lib/sync/stale';
import { passwordExpiryReport } from '@/lib/tokens/expiry';
import { renderTime } from '@/lib/tokens/format';

export const metadata: Metadata = { title: 'Overview' };

/** A newcomer's first steps, each a link to where it is done. */
const getStartedSteps = [
  { href: '/hierarchy', link: 'Add a cloud registry', rest: ': the root of a hierarchy (its login server and region).' },
  { href: '/connected-registries/new', link: 'Add connected registries', rest: ' under it, or under each other, for your sites.' },
  { href: '/tokens/new', link: 'Create client tokens', rest: ' with scope maps, and rotate their passwords without downtime.' },
  { href: '/settings/token-service', link: 'Point your registries at Canopy’s token service', rest: ' (Settings → Token service).' },
];

export default async function OverviewPage() {
  await pageActor();
  const now = renderTime();
  const [counts, expiry, states, detached, staleSync] = await Promise.all([
    overviewCounts(),
    passwordExpiryReport(8, now),
    registryStateCounts(),
    detachedConnectedRegistries(),
    countStaleRegistries(new Date(now)),
  ]);
  const tiles = [
    { label: 'Cloud registries', value: counts.cloudRegistries, href: '/cloud-registries' },
    { label: 'Connected registries', value: counts.connectedRegistries, href: '/connected-registries' },
    { label: 'Tokens', value: counts.tokens, href: '/tokens' },
    { label: 'Scope maps', value: counts.scopeMaps, href: '/scope-maps' },
    { label: 'Active admins', value: counts.admins, href: '/settings' },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Your connected registries, their tokens and what they may do, at a glance." />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {tiles.map((t) => (
          <Link
            key={t.label}
            href={t.href}
            className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-brand-400"
          >
            <p className="text-sm text-slate-600 dark:text-slate-400">{t.label}</p>
            <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid={`count-${t.label}`}>
              {t.value}
            </p>
          </Link>
        ))}
      </div>
      {detached.length > 0 && (
        <Card title="Login servers to fix" className="mt-6 border-amber-300 dark:border-amber-700">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            These connected registries have a cloud registry&apos;s login server, which names that cloud registry alone: the token service
            grants them nothing there until they get a login server of their own. Their service names still work.
          </p>
          <ul className="mt-3 space-y-1 text-sm" data-testid="detached-login-servers">
            {detached.map((d) => (
              <li key={d.serviceName}>
                <Link
                  className="font-medium text-brand-700 hover:underline dark:text-brand-400"
                  href={connectedRegistryHref(d.registry, d.name)}
                >
                  {d.serviceName}
                </Link>{' '}
                on <span className="font-mono text-xs">{d.loginServer}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {counts.connectedRegistries > 0 && <RegistryStateCounts initial={states} />}
      {counts.connectedRegistries > 0 && (
        <Card title="Sync" className={staleSync ? 'mt-6 border-amber-300 dark:border-amber-700' : 'mt-6'}>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            <span className="text-2xl font-semibold tabular-nums" data-testid="count-sync-stale">
              {staleSync}
            </span>{' '}
            active connected {staleSync === 1 ? 'registry has' : 'registries have'} not synced successfully for longer than twice the
            longest gap between their schedule&apos;s triggers (at least 10 minutes).
          </p>
        </Card>
      )}
      {counts.tokens > 0 && <ExpiringPasswordsPanel report={expiry} now={now} />}
      {counts.cloudRegistries === 0 && (
        <Card title="Get started" className="mt-6">
          <ol className="list-decimal space-y-1.5 pl-5 text-sm text-slate-700 dark:text-slate-300" data-testid="get-started">
            {getStartedSteps.map((step) => (
              <li key={step.href}>
                <Link
                  href={step.href}
                  className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900 dark:text-brand-400 dark:hover:text-brand-200"
                >
                  {step.link}
                </Link>
                {step.rest}
              </li>
            ))}
          </ol>
        </Card>
      )}
    </>
  );
}

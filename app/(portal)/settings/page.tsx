import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessTokensPanel } from '@/components/access-tokens-panel';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { listAccessTokens } from '@/lib/auth/access-tokens';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const actor = await pageActor();
  const tokens = await listAccessTokens(actor);
  return (
    <>
      <PageHeader title="Settings" description="Your API access tokens, the admins of this Canopy, and the token service." />
      <div className="space-y-6">
        <Card title="Your profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500 dark:text-slate-400">Email</dt>
            <dd>{actor.email}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Name</dt>
            <dd>{actor.name}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Role</dt>
            <dd>{actor.role}</dd>
          </dl>
        </Card>
        <Card title="API access tokens">
          <AccessTokensPanel tokens={tokens} />
        </Card>
        <Card title="Token service">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            The realm, issuer and certificate your registries trust, a ready registry configuration, and signing-key rotation.{' '}
            <Link href="/settings/token-service" className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
              Token service →
            </Link>
          </p>
        </Card>
        {hasRole(actor, 'Owner') && (
          <Card title="Admins">
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Add admins, change their roles, or disable them.{' '}
              <Link href="/settings/admins" className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                Manage admins →
              </Link>
            </p>
          </Card>
        )}
      </div>
    </>
  );
}

import Link from 'next/link';
import { DeleteTokenButton } from '@/components/tokens/delete-token-button';
import { PasswordSlotsTable } from '@/components/tokens/password-slots-table';
import { RegistrySyncControls } from '@/components/tokens/registry-sync-controls';
import { TokenKindBadge } from '@/components/tokens/token-kind-badge';
import { TokenScopeMapForm } from '@/components/tokens/token-scope-map-form';
import { TokenStatusBadge } from '@/components/tokens/token-status-badge';
import { TokenStatusSwitch } from '@/components/tokens/token-status-switch';
import { BackLink } from '@/components/ui/back-link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { namedPage, namedPageMetadata, type NamedPageProps } from '@/lib/registries/views';
import { formatTime, renderTime } from '@/lib/tokens/format';
import { connectedRegistryHref, scopeMapHref, tokensHref } from '@/lib/tokens/hrefs';
import { getToken } from '@/lib/tokens/queries';
import { clientScopeMapChoices, tokenLogin } from '@/lib/tokens/views';

export const generateMetadata = namedPageMetadata('Token');

export default async function TokenPage(props: NamedPageProps) {
  const { actor, registry, item: token } = await namedPage(props, getToken);
  const canEdit = hasRole(actor, 'Contributor');
  const [login, choices] = await Promise.all([
    tokenLogin(registry, token),
    canEdit && token.kind === 'client' ? clientScopeMapChoices(registry) : null,
  ]);
  const now = renderTime();

  return (
    <>
      <BackLink href={tokensHref(registry)}>Tokens of {registry}</BackLink>
      <PageHeader
        title={token.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <TokenKindBadge kind={token.kind} />
            <TokenStatusBadge status={token.status} />
            <span>
              {token.kind === 'sync' ? (
                <>
                  Authenticates connected registry{' '}
                  <Link
                    href={connectedRegistryHref(registry, token.syncRegistry!)}
                    className="font-medium text-brand-700 dark:text-brand-400 hover:underline"
                  >
                    {token.syncRegistry}
                  </Link>{' '}
                  to its parent, and is deleted together with it.
                </>
              ) : (
                <>On-premises clients log in with it at the connected registries that accept it.</>
              )}
            </span>
          </span>
        }
        actions={
          canEdit && token.kind === 'client' ? (
            <DeleteTokenButton registry={registry} token={token.name} acceptedBy={token.acceptedBy} />
          ) : undefined
        }
      />

      <div className="space-y-6">
        <Card>
          <dl className="grid grid-cols-1 gap-6 text-sm md:grid-cols-2 xl:grid-cols-[minmax(11rem,1fr)_minmax(0,1.7fr)_minmax(0,1.2fr)_auto] xl:gap-y-2">
            <div className="xl:row-span-2">
              <dt className="mb-1.5 font-medium text-slate-700 dark:text-slate-300">Status</dt>
              <dd>
                {token.kind === 'client' && canEdit ? (
                  <TokenStatusSwitch registry={registry} token={token.name} status={token.status} acceptedBy={token.acceptedBy} />
                ) : token.kind === 'sync' ? (
                  <p className="text-slate-600 dark:text-slate-400">
                    <TokenStatusBadge status={token.status} />{' '}
                    <span className="text-xs">
                      Disabling it disables connected registry {token.syncRegistry}
                      {canEdit ? ': use the switch below.' : '.'}
                    </span>
                  </p>
                ) : (
                  <TokenStatusBadge status={token.status} />
                )}
              </dd>
            </div>
            <div className="xl:row-span-2">
              <dt className="mb-1.5 font-medium text-slate-700 dark:text-slate-300">Scope map</dt>
              <dd>
                {choices ? (
                  <TokenScopeMapForm registry={registry} token={token.name} scopeMap={token.scopeMap} choices={choices} />
                ) : (
                  <>
                    <Link
                      href={scopeMapHref(registry, token.scopeMap)}
                      className="font-mono text-brand-700 dark:text-brand-400 hover:underline"
                    >
                      {token.scopeMap}
                    </Link>
                    {token.kind === 'sync' && (
                      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">A sync token keeps its registry’s sync scope map.</p>
                    )}
                  </>
                )}
              </dd>
            </div>
            <div className="xl:row-span-2">
              <dt className="mb-1.5 font-medium text-slate-700 dark:text-slate-300">
                {token.kind === 'sync' ? 'Authenticates at' : 'Accepted by'}
              </dt>
              <dd>
                {login.endpoints.length ? (
                  <ul className="space-y-1">
                    {login.endpoints.map((e) => (
                      <li key={`${e.registry}-${e.endpoint}`}>
                        <span className="font-medium">{e.registry}</span>
                        <span className="block break-all font-mono text-xs text-slate-500 dark:text-slate-400">{e.endpoint}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="text-slate-500 dark:text-slate-400">
                    No connected registry accepts it yet. Add it to a registry’s client tokens.
                  </p>
                )}
              </dd>
            </div>
            {/* Created above Updated in the last column: each its own group of the <dl> (a group holds one dt and its dd) */}
            <div>
              <dt className="font-medium text-slate-700 dark:text-slate-300">Created</dt>
              <dd className="whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-400">{formatTime(token.createdAt)}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700 dark:text-slate-300">Updated</dt>
              <dd className="whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-400">{formatTime(token.updatedAt)}</dd>
            </div>
          </dl>
        </Card>

        <Card title="Passwords">
          <PasswordSlotsTable
            registry={registry}
            token={{ name: token.name, kind: token.kind, syncRegistry: token.syncRegistry }}
            passwords={token.passwords}
            endpoints={login.endpoints}
            canEdit={canEdit}
            now={now}
          />
        </Card>

        {token.kind === 'sync' && token.syncRegistry && (
          <Card title={`Connected registry ${token.syncRegistry}`}>
            <RegistrySyncControls
              registry={registry}
              name={token.syncRegistry}
              syncToken={token.name}
              disabled={token.status === 'disabled'}
              canEdit={canEdit}
              parentIsCloud={login.parentIsCloud}
              parentProtocol={login.parentProtocol}
            />
          </Card>
        )}
      </div>
    </>
  );
}

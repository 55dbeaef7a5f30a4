import { Info } from 'lucide-react';
import Link from 'next/link';
import { ActionMatrix } from '@/components/scope-maps/action-matrix';
import { DeleteScopeMapButton } from '@/components/scope-maps/delete-scope-map-button';
import { ScopeMapEditor } from '@/components/scope-maps/scope-map-editor';
import { ScopeMapKindBadge } from '@/components/scope-maps/scope-map-kind-badge';
import { TokenKindBadge } from '@/components/tokens/token-kind-badge';
import { TokenStatusBadge } from '@/components/tokens/token-status-badge';
import { BackLink } from '@/components/ui/back-link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { namedPage, namedPageMetadata, type NamedPageProps } from '@/lib/registries/views';
import { getScopeMap } from '@/lib/scope-maps/queries';
import { formatTime } from '@/lib/tokens/format';
import { connectedRegistryHref, scopeMapsHref, tokenHref } from '@/lib/tokens/hrefs';
import { connectedRegistryOptions, tokensUsingScopeMap } from '@/lib/tokens/views';

export const generateMetadata = namedPageMetadata('Scope map');

export default async function ScopeMapPage(props: NamedPageProps) {
  const { actor, registry, item: scopeMap } = await namedPage(props, getScopeMap);
  const [tokens, connectedRegistries] = await Promise.all([
    tokensUsingScopeMap(registry, scopeMap.name),
    connectedRegistryOptions(registry),
  ]);
  const managed = scopeMap.system || scopeMap.syncRegistry !== null;
  // a sync scope map is edited too: its repository actions are what its registry syncs
  const canEdit = hasRole(actor, 'Contributor') && !scopeMap.system;

  return (
    <>
      <BackLink href={scopeMapsHref(registry)}>Scope maps of {registry}</BackLink>
      <PageHeader
        title={scopeMap.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ScopeMapKindBadge system={scopeMap.system} syncRegistry={scopeMap.syncRegistry} />
            <span>{scopeMap.description ?? (managed ? '' : 'No description.')}</span>
          </span>
        }
        actions={
          canEdit && !managed ? (
            <DeleteScopeMapButton registry={registry} name={scopeMap.name} tokenCount={scopeMap.tokenCount} />
          ) : undefined
        }
      />

      {managed && (
        <div
          className="mb-6 flex gap-2 rounded-lg border border-sky-200 dark:border-sky-800 bg-sky-50 dark:bg-sky-950/40 px-4 py-3 text-sm text-sky-900 dark:text-sky-300"
          role="note"
        >
          <Info size={17} className="mt-0.5 shrink-0 text-sky-600 dark:text-sky-400" aria-hidden />
          {scopeMap.system ? (
            <p>This is a system scope map: every cloud registry has it, and it cannot be edited or deleted.</p>
          ) : (
            <p>
              This is the sync scope map of connected registry{' '}
              <Link href={connectedRegistryHref(registry, scopeMap.syncRegistry!)} className="font-medium underline">
                {scopeMap.syncRegistry}
              </Link>
              . Its repository actions are what {scopeMap.syncRegistry} syncs: a change here changes them for it, its ancestors’ sync scope
              maps follow, and what is removed goes from the registries under it too. Its gateway actions follow the hierarchy and cannot be
              changed here; a ReadOnly registry’s map grants read actions only.
            </p>
          )}
        </div>
      )}

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <Card title={canEdit ? 'Actions' : 'Actions (read only)'} className="xl:col-span-2">
          {canEdit ? (
            <ScopeMapEditor
              registry={registry}
              name={scopeMap.name}
              actions={scopeMap.actions}
              description={scopeMap.description}
              connectedRegistries={connectedRegistries}
              gatewayLocked={
                scopeMap.syncRegistry
                  ? `The gateway actions of ${scopeMap.syncRegistry} and the registries under it: without them they could no longer fetch their configuration or sync.`
                  : undefined
              }
            />
          ) : (
            <ActionMatrix value={scopeMap.actions} connectedRegistries={connectedRegistries} readOnly />
          )}
        </Card>
        <div className="space-y-6">
          <Card title={`Used by ${scopeMap.tokenCount} ${scopeMap.tokenCount === 1 ? 'token' : 'tokens'}`}>
            {tokens.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No token uses it yet.</p>
            ) : (
              <ul className="divide-y divide-slate-100 dark:divide-slate-800 text-sm">
                {tokens.map((t) => (
                  <li key={t.name} className="flex items-center justify-between gap-2 py-1.5">
                    <Link
                      href={tokenHref(registry, t.name)}
                      className="truncate font-medium text-brand-700 dark:text-brand-400 hover:underline"
                    >
                      {t.name}
                    </Link>
                    <span className="flex shrink-0 gap-1">
                      <TokenKindBadge kind={t.kind} />
                      {t.status === 'disabled' && <TokenStatusBadge status={t.status} />}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {scopeMap.tokenCount > tokens.length && (
              <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">and {scopeMap.tokenCount - tokens.length} more</p>
            )}
          </Card>
          <Card title="Details">
            <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
              <dt className="text-slate-500 dark:text-slate-400">Actions</dt>
              <dd className="tabular-nums">{scopeMap.actions.length}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Created</dt>
              <dd className="tabular-nums">{formatTime(scopeMap.createdAt)}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Updated</dt>
              <dd className="tabular-nums">{formatTime(scopeMap.updatedAt)}</dd>
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}

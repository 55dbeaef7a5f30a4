import Link from 'next/link';
import { formatCount } from '@/components/ui/list-pager';
import { Table, Td, Th } from '@/components/ui/table';
import { isReadOnlyActionSet, parseAction } from '@/lib/scope-maps/grammar';
import type { ScopeMapDto } from '@/lib/scope-maps/schemas';
import { formatDate } from '@/lib/tokens/format';
import { connectedRegistryHref, scopeMapHref } from '@/lib/tokens/hrefs';
import { ScopeMapKindBadge } from './scope-map-kind-badge';

function summary(actions: string[]) {
  let repositoryPermissions = 0;
  const repositories = new Set<string>();
  const gateways = new Set<string>();
  for (const a of actions) {
    const p = parseAction(a);
    if ('error' in p) continue;
    if (p.kind === 'repository') {
      repositoryPermissions += 1;
      repositories.add(p.repository);
    } else gateways.add(p.registry);
  }
  return { repositoryPermissions, repositories: repositories.size, gateways: gateways.size };
}

export function ScopeMapsTable({ registry, scopeMaps }: { registry: string; scopeMaps: ScopeMapDto[] }) {
  return (
    <Table caption={`Scope maps of ${registry}`}>
      <thead>
        <tr>
          <Th>Scope map</Th>
          <Th>Kind</Th>
          <Th>Grants</Th>
          <Th className="text-right">Tokens</Th>
          <Th>Updated</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {scopeMaps.map((m) => {
          const s = summary(m.actions);
          return (
            <tr key={m.name} data-testid="scope-map-row" className="hover:bg-slate-50/60 dark:hover:bg-slate-800/40">
              <Td>
                <Link
                  href={scopeMapHref(registry, m.name)}
                  className="font-mono font-medium text-brand-700 dark:text-brand-400 hover:underline"
                >
                  {m.name}
                </Link>
                {m.description && <p className="max-w-md truncate text-xs text-slate-500 dark:text-slate-400">{m.description}</p>}
              </Td>
              <Td>
                <div className="flex flex-col items-start gap-1">
                  <ScopeMapKindBadge system={m.system} syncRegistry={m.syncRegistry} />
                  {m.syncRegistry && (
                    <Link
                      href={connectedRegistryHref(registry, m.syncRegistry)}
                      className="text-xs text-slate-600 dark:text-slate-400 hover:underline"
                    >
                      of {m.syncRegistry}
                    </Link>
                  )}
                </div>
              </Td>
              <Td className="text-xs text-slate-700 dark:text-slate-300">
                <p>
                  {s.repositories} {s.repositories === 1 ? 'repository' : 'repositories'} · {s.repositoryPermissions}{' '}
                  {s.repositoryPermissions === 1 ? 'permission' : 'permissions'}
                </p>
                {s.gateways > 0 && (
                  <p>
                    gateway of {s.gateways} {s.gateways === 1 ? 'registry' : 'registries'}
                  </p>
                )}
                {isReadOnlyActionSet(m.actions) && <p className="text-slate-500 dark:text-slate-400">read only</p>}
              </Td>
              <Td className="text-right tabular-nums">{formatCount(m.tokenCount, m.tokenCountCapped)}</Td>
              <Td className="whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-400">
                {m.system ? '—' : formatDate(m.updatedAt)}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

import { TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDate } from '@/lib/tokens/format';
import { connectedRegistryHref, scopeMapHref, tokenHref } from '@/lib/tokens/hrefs';
import type { TokenDto } from '@/lib/tokens/schemas';
import { PasswordSlotChips } from './password-slot-chips';
import { TokenKindBadge } from './token-kind-badge';
import { TokenRowActions } from './token-row-actions';
import { TokenStatusBadge } from './token-status-badge';

export function TokensTable({
  registry,
  tokens,
  now,
  canEdit = false,
}: {
  registry: string;
  tokens: TokenDto[];
  now: number;
  canEdit?: boolean;
}) {
  return (
    <Table caption={`Tokens of ${registry}`}>
      <thead>
        <tr>
          <Th>Token</Th>
          <Th>Status</Th>
          <Th>Kind</Th>
          <Th>Scope map</Th>
          <Th>Passwords</Th>
          <Th>Used by</Th>
          {canEdit && (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {tokens.map((t) => {
          const expired = t.passwords.some((p) => p.state === 'expired');
          const expiring = t.passwords.some((p) => p.state === 'expiring');
          return (
            <tr key={t.name} data-testid="token-row" className="hover:bg-slate-50/60 dark:hover:bg-slate-800/40">
              <Td>
                <Link
                  href={tokenHref(registry, t.name)}
                  className="font-medium break-all text-brand-700 dark:text-brand-400 hover:underline"
                >
                  {t.name}
                </Link>
                <p className="text-xs text-slate-500 dark:text-slate-400">created {formatDate(t.createdAt)}</p>
              </Td>
              <Td>
                <TokenStatusBadge status={t.status} />
              </Td>
              <Td>
                <TokenKindBadge kind={t.kind} />
              </Td>
              <Td>
                <Link
                  href={scopeMapHref(registry, t.scopeMap)}
                  className="font-mono text-xs break-all text-slate-700 dark:text-slate-300 hover:underline"
                >
                  {t.scopeMap}
                </Link>
              </Td>
              <Td>
                <div className="flex flex-col gap-1">
                  <PasswordSlotChips passwords={t.passwords} now={now} />
                  {(expired || expiring) && (
                    <Badge tone={expired ? 'red' : 'amber'} className="w-fit">
                      <TriangleAlert size={11} aria-hidden />
                      {expired ? 'expired password' : 'password expiring'}
                    </Badge>
                  )}
                </div>
              </Td>
              <Td className="text-xs break-all">
                {t.kind === 'sync' && t.syncRegistry ? (
                  <Link
                    href={connectedRegistryHref(registry, t.syncRegistry)}
                    className="text-slate-700 dark:text-slate-300 hover:underline"
                  >
                    syncs {t.syncRegistry}
                  </Link>
                ) : t.acceptedBy.length ? (
                  <span className="text-slate-700 dark:text-slate-300" title={t.acceptedBy.join(', ')}>
                    {t.acceptedBy.slice(0, 3).join(', ')}
                    {t.acceptedBy.length > 3 && ` +${t.acceptedBy.length - 3}`}
                  </span>
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">no registry yet</span>
                )}
              </Td>
              {canEdit && (
                <Td>
                  <TokenRowActions registry={registry} token={t} now={now} />
                </Td>
              )}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

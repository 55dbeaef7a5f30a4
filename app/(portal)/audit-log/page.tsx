import type { Metadata } from 'next';
import Link from 'next/link';
import { FileClock } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageLinkNotice } from '@/components/ui/page-link-notice';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { listFromPageLink } from '@/lib/api/pagination';
import { auditQuery, listAuditEvents } from '@/lib/audit/queries';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };

type Search = { actor?: string; action?: string; target?: string; cursor?: string };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  await pageActor();
  const search = await searchParams;
  const parsed = auditQuery.safeParse({ ...search, limit: 50 });
  const listed = await listFromPageLink(parsed.success ? parsed.data : auditQuery.parse({ limit: 50 }), listAuditEvents);
  const { page, query } = listed;
  const filters = { actor: query.actor, action: query.action, target: query.target };
  const nextHref = page.next
    ? `/audit-log?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), cursor: page.next } as Record<string, string>)}`
    : null;
  return (
    <>
      <PageHeader title="Audit log" description="Every change an admin made, newest first." />
      <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter audit events">
        {(['actor', 'action', 'target'] as const).map((name) => (
          <label key={name} className="text-sm">
            <span className="mb-1 block font-medium capitalize text-slate-700">{name}</span>
            <input
              name={name}
              defaultValue={filters[name] ?? ''}
              placeholder={name === 'action' ? 'e.g. accessToken.' : name === 'actor' ? 'email' : 'name'}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
            />
          </label>
        ))}
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Filter
        </button>
        {(filters.actor || filters.action || filters.target) && (
          <Link href="/audit-log" className="py-1.5 text-sm text-slate-600 hover:underline">
            Clear
          </Link>
        )}
      </form>
      <PageLinkNotice show={listed.cursorRejected || (Boolean(search.cursor) && !parsed.success)} />
      {page.items.length === 0 ? (
        <EmptyState icon={<FileClock size={32} aria-hidden />} title="No audit events match">
          Changes made by admins appear here as they happen.
        </EmptyState>
      ) : (
        <Table caption="Audit events">
          <thead>
            <tr>
              <Th>Time</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Target</Th>
              <Th>Details</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {page.items.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <Td className="whitespace-nowrap tabular-nums">
                  <time dateTime={e.time}>{e.time.replace('T', ' ').slice(0, 19)}</time>
                </Td>
                <Td>{e.actor}</Td>
                <Td>
                  <code className="text-xs">{e.action}</code>
                </Td>
                <Td>
                  <span className="text-slate-500">{e.targetType}</span> {e.targetName}
                  {e.registry && <span className="text-slate-500"> in {e.registry}</span>}
                </Td>
                <Td className="max-w-md truncate font-mono text-xs text-slate-600">
                  {e.details && Object.keys(e.details as object).length ? JSON.stringify(e.details) : ''}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {nextHref && (
        <div className="mt-4 flex justify-end">
          <Link href={nextHref} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
            Older events →
          </Link>
        </div>
      )}
    </>
  );
}

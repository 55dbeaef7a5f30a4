import type { Metadata } from 'next';
import Link from 'next/link';
import { FileClock } from 'lucide-react';
import { AuditEventsTable } from '@/components/audit/audit-events-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageLinkNotice } from '@/components/ui/page-link-notice';
import { PageHeader } from '@/components/ui/page-header';
import { listFromPageLink } from '@/lib/api/pagination';
import { auditQuery } from '@/lib/audit/schemas';
import { listAuditEvents } from '@/lib/audit/queries';
import { auditTargetHrefs } from '@/lib/audit/targets';
import { pageActor } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };

type Search = { actor?: string; action?: string; target?: string; cursor?: string };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await pageActor();
  const search = await searchParams;
  const parsed = auditQuery.safeParse({ ...search, limit: 50 });
  const listed = await listFromPageLink(parsed.success ? parsed.data : auditQuery.parse({ limit: 50 }), listAuditEvents);
  const { page, query } = listed;
  const hrefs = await auditTargetHrefs(page.items, actor);
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
            <span className="mb-1 block font-medium capitalize text-slate-700 dark:text-slate-300">{name}</span>
            <input
              name={name}
              defaultValue={filters[name] ?? ''}
              placeholder={name === 'action' ? 'e.g. accessToken.' : name === 'actor' ? 'email' : 'name'}
              className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm"
            />
          </label>
        ))}
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Filter
        </button>
        {(filters.actor || filters.action || filters.target) && (
          <Link href="/audit-log" className="py-1.5 text-sm text-slate-600 dark:text-slate-400 hover:underline">
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
        <AuditEventsTable events={page.items} hrefs={hrefs} />
      )}
      {nextHref && (
        <div className="mt-4 flex justify-end">
          <Link
            href={nextHref}
            className="rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-1.5 text-sm hover:bg-slate-50 dark:hover:bg-slate-800/60"
          >
            Older events →
          </Link>
        </div>
      )}
    </>
  );
}

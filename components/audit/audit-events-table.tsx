import Link from 'next/link';
import { Table, Td, Th } from '@/components/ui/table';
import { describeChange, fieldLabel } from '@/lib/audit/changes';
import type { AuditEventDto } from '@/lib/audit/schemas';
import { AuditChange } from './audit-change';

/** Long names, emails and URLs wrap anywhere, so the table fits the page instead of scrolling it. */
const wrap = '[overflow-wrap:anywhere]';

/**
 * The audit log's events: the time in UTC, who, what, the target (a link to its page while it
 * exists: `hrefs`, same order as `events`) and the change as before → after.
 */
export function AuditEventsTable({ events, hrefs }: { events: AuditEventDto[]; hrefs: (string | null)[] }) {
  return (
    <Table caption="Audit events">
      <colgroup>
        <col className="w-28" />
        <col className="w-44" />
        <col className="w-40" />
        <col className="w-52" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <Th>Time (UTC)</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Change</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {events.map((e, i) => {
          const href = hrefs[i];
          return (
            <tr key={e.id} data-testid="audit-row">
              <Td className="tabular-nums">
                <time dateTime={e.time} title={e.time} className="block">
                  <span className="block whitespace-nowrap">{e.time.slice(0, 10)}</span>
                  <span className="block whitespace-nowrap">{e.time.slice(11, 19)} UTC</span>
                </time>
              </Td>
              <Td className={wrap}>{e.actor}</Td>
              <Td className={wrap}>
                <code className="text-xs">{e.action}</code>
              </Td>
              <Td className={wrap}>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{fieldLabel(e.targetType)}</span>
                {href ? (
                  <Link
                    href={href}
                    className="font-medium text-brand-700 dark:text-brand-400 underline hover:text-brand-800 dark:hover:text-brand-300"
                  >
                    {e.targetName}
                  </Link>
                ) : (
                  <span data-testid="audit-target-gone">{e.targetName}</span>
                )}
                {e.registry && e.targetType !== 'cloudRegistry' && (
                  <span className="block text-xs text-slate-600 dark:text-slate-400">in {e.registry}</span>
                )}
              </Td>
              <Td className={`${wrap} text-xs`}>
                <AuditChange rows={describeChange(e.action, e.details)} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

import { CircleCheck, TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { PasswordExpiryReport } from '@/lib/tokens/expiry';
import { formatTime, relativeTime } from '@/lib/tokens/format';
import { tokenHref, tokensHref } from '@/lib/tokens/hrefs';

/** The Overview's warning: token passwords that expire within 30 days or have expired, in every cloud registry. */
export function ExpiringPasswordsPanel({ report, now }: { report: PasswordExpiryReport; now: number }) {
  const total = report.expiring + report.expired;
  const registries = [...new Set(report.items.map((i) => i.registry))];
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {total ? (
            <TriangleAlert size={16} className="text-amber-600 dark:text-amber-400" aria-hidden />
          ) : (
            <CircleCheck size={16} className="text-emerald-600 dark:text-emerald-400" aria-hidden />
          )}
          Password expiry
        </span>
      }
      actions={
        total > 0 && (
          <span className="flex gap-2" data-testid="expiry-counts">
            {report.expired > 0 && <Badge tone="red">{report.expired} expired</Badge>}
            {report.expiring > 0 && <Badge tone="amber">{report.expiring} expiring within 30 days</Badge>}
          </span>
        )
      }
      className="mt-6"
    >
      {total === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No token password expires within the next 30 days.</p>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Expiring and expired passwords">
            {report.items.map((i) => (
              <li
                key={`${i.registry}/${i.token}/${i.slot}`}
                data-testid="expiry-alert"
                className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm"
              >
                <span className="min-w-0">
                  <Link href={tokenHref(i.registry, i.token)} className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
                    {i.token}
                  </Link>{' '}
                  <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{i.slot}</span>
                  <span className="text-slate-500 dark:text-slate-400"> in {i.registry}</span>
                  {i.syncRegistry && (
                    <span className="block text-xs text-slate-500 dark:text-slate-400">
                      sync token of {i.syncRegistry}: it{' '}
                      {i.state === 'expired' ? 'cannot sync with this password' : 'stops syncing when it expires'}
                    </span>
                  )}
                </span>
                <span className="flex items-center gap-2 whitespace-nowrap">
                  <time dateTime={i.expiry} className="text-xs tabular-nums text-slate-500 dark:text-slate-400">
                    {formatTime(i.expiry)}
                  </time>
                  <Badge tone={i.state === 'expired' ? 'red' : 'amber'}>
                    {i.state === 'expired' ? `expired ${relativeTime(i.expiry, now)}` : `expires ${relativeTime(i.expiry, now)}`}
                  </Badge>
                </span>
              </li>
            ))}
          </ul>
          {total > report.items.length && (
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
              Showing the most urgent {report.items.length} of {total}. See all:{' '}
              {registries.map((r, n) => (
                <span key={r}>
                  {n > 0 && ', '}
                  <Link href={tokensHref(r, { expiring: 'true' })} className="text-brand-700 dark:text-brand-400 hover:underline">
                    {r}
                  </Link>
                </span>
              ))}
            </p>
          )}
        </>
      )}
    </Card>
  );
}

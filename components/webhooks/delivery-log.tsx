'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { RotateCcw } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { redeliverAction } from '@/lib/webhooks/actions';
import { fetchDeliveries, webhookKeys } from '@/lib/webhooks/client-queries';
import type { WebhookDeliveryDto } from '@/lib/webhooks/schemas';

const tone: Record<WebhookDeliveryDto['status'], BadgeTone> = { pending: 'amber', delivered: 'green', failed: 'red' };
const time = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** The endpoint's deliveries, newest first, each with its attempts; refreshed while any is pending. */
export function DeliveryLog({ registry, name, canRedeliver }: { registry: string; name: string; canRedeliver: boolean }) {
  const queryClient = useQueryClient();
  const key = webhookKeys.deliveries(registry, name);
  const { data, error } = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => fetchDeliveries(registry, name, signal),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'pending') ? 1500 : 10_000),
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  if (error) return <FormMessage ok={false} message={error.message} />;
  if (!data) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading the delivery log…</p>;
  if (data.items.length === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">Nothing was sent to this endpoint yet. Send a test to see one here.</p>
    );
  return (
    <div className="space-y-3">
      <FormMessage ok={message?.ok} message={message?.text} />
      <ol
        className="divide-y divide-slate-100 dark:divide-slate-800 rounded-md border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900"
        aria-label="Deliveries"
      >
        {data.items.map((d) => (
          <li key={d.id} className="space-y-2 px-4 py-3" data-testid="delivery">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={tone[d.status]}>{d.status}</Badge>
              <code className="text-xs text-slate-800 dark:text-slate-200">{d.eventType}</code>
              <span className="text-slate-600 dark:text-slate-400">{d.subject}</span>
              <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">{time(d.createdAt)} UTC</span>
              {canRedeliver && (
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={pending}
                  aria-label={`Redeliver ${d.eventType} ${d.eventId}`}
                  onClick={() =>
                    startTransition(async () => {
                      const result = await redeliverAction(registry, name, d.id);
                      setMessage({ ok: result.ok, text: result.message ?? '' });
                      await queryClient.invalidateQueries({ queryKey: key });
                    })
                  }
                >
                  <RotateCcw size={14} aria-hidden /> Redeliver
                </Button>
              )}
            </div>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              webhook-id <code>{d.eventId}</code>
              {d.status === 'pending' && d.nextAttemptAt ? ` · next attempt ${time(d.nextAttemptAt)} UTC` : ''}
            </p>
            {d.attempts.length > 0 && (
              <table className="w-full text-left text-xs">
                <caption className="sr-only">Attempts</caption>
                <thead className="text-slate-500 dark:text-slate-400">
                  <tr>
                    <th className="py-1 pr-3 font-medium">Time (UTC)</th>
                    <th className="py-1 pr-3 font-medium">Status</th>
                    <th className="py-1 pr-3 font-medium">Duration</th>
                    <th className="py-1 font-medium">Response (first 512 bytes)</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a) => (
                    <tr key={a.time} data-testid="attempt">
                      <td className="py-1 pr-3 whitespace-nowrap">{time(a.time)}</td>
                      <td className="py-1 pr-3">{a.statusCode ?? '—'}</td>
                      <td className="py-1 pr-3 whitespace-nowrap">{a.durationMs} ms</td>
                      <td className="py-1 font-mono break-all text-slate-700 dark:text-slate-300">{a.error ?? a.response ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

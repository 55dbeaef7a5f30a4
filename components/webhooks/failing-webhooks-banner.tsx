import { TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { webhookHref } from '@/lib/webhooks/client-queries';
import type { WebhookDto } from '@/lib/webhooks/schemas';

/** The endpoints Canopy disabled after a day of failed deliveries. */
export function FailingWebhooksBanner({ registry, webhooks }: { registry: string; webhooks: WebhookDto[] }) {
  const failing = webhooks.filter((w) => !w.enabled && w.disabledReason === 'failing');
  if (!failing.length) return null;
  return (
    <div
      role="alert"
      className="mb-4 flex gap-2 rounded-md border border-red-200 dark:border-red-900 bg-red-50 dark:bg-red-950/40 px-4 py-3 text-sm text-red-800 dark:text-red-300"
    >
      <TriangleAlert size={18} aria-hidden className="mt-0.5 shrink-0" />
      <p>
        {failing.map((w, i) => (
          <span key={w.name}>
            {i > 0 && ', '}
            <Link href={webhookHref(registry, w.name)} className="font-medium underline">
              {w.name}
            </Link>
          </span>
        ))}{' '}
        {failing.length === 1 ? 'was' : 'were'} disabled after failing for a day: nothing is sent there now. Fix the receiver, then enable
        it again.
      </p>
    </div>
  );
}

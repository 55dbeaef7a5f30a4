import type { Metadata } from 'next';
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Property } from '@/components/ui/property';
import { DeliveryLog } from '@/components/webhooks/delivery-log';
import { FailingWebhooksBanner } from '@/components/webhooks/failing-webhooks-banner';
import { WebhookControls } from '@/components/webhooks/webhook-controls';
import { WebhookEditForm } from '@/components/webhooks/webhook-edit-form';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { NotFoundError } from '@/lib/errors';
import { pageCloudRegistry } from '@/lib/registries/views';
import { decodePathSegment } from '@/lib/text';
import { webhooksHref } from '@/lib/webhooks/client-queries';
import { getWebhook } from '@/lib/webhooks/queries';
import type { WebhookDto } from '@/lib/webhooks/schemas';

type Params = { name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `Webhook ${decodePathSegment((await params).name)}` };
}

export default async function WebhookPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<{ registry?: string }>;
}) {
  const actor = await pageActor();
  const name = decodePathSegment((await params).name);
  const { current } = await pageCloudRegistry((await searchParams).registry, { remembered: false });
  if (!current) notFound();
  const registry = current.name;
  let webhook: WebhookDto;
  try {
    webhook = await getWebhook(registry, name);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const canEdit = hasRole(actor, 'Contributor');
  return (
    <>
      <Link
        href={webhooksHref(registry)}
        className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 dark:text-slate-400 hover:text-slate-900 dark:hover:text-slate-100 hover:underline"
      >
        <ArrowLeft size={14} aria-hidden /> Webhooks of {registry}
      </Link>
      <PageHeader title={webhook.name} description={<span className="font-mono text-xs">{webhook.url}</span>} />
      <FailingWebhooksBanner registry={registry} webhooks={[webhook]} />
      <Card title="Endpoint">
        <dl className="grid gap-3 md:grid-cols-3">
          <Property label="State">
            {webhook.enabled ? 'enabled' : webhook.disabledReason === 'failing' ? 'disabled by Canopy after failing for a day' : 'disabled'}
          </Property>
          <Property label="Events">{webhook.events.join(', ')}</Property>
          <Property label="Expiry warning">{webhook.expiryWarningDays} days before</Property>
          <Property label="Failed deliveries">
            {webhook.failedDeliveries > 0 ? `${webhook.failedDeliveries}: they ran out of retries; Redeliver sends one again` : 'none'}
          </Property>
          <Property label="Secret">
            {webhook.previousSecretUntil
              ? `rotated: the old one also signs until ${webhook.previousSecretUntil.slice(0, 16).replace('T', ' ')} UTC`
              : 'set (shown only when made)'}
          </Property>
        </dl>
        {canEdit && (
          <div className="mt-4">
            <WebhookControls registry={registry} name={webhook.name} enabled={webhook.enabled} />
          </div>
        )}
      </Card>
      {canEdit && (
        <Card title="Edit endpoint" className="mt-6">
          <WebhookEditForm registry={registry} webhook={webhook} />
        </Card>
      )}
      <Card title="Delivery log" className="mt-6">
        <DeliveryLog registry={registry} name={webhook.name} canRedeliver={canEdit} />
      </Card>
    </>
  );
}

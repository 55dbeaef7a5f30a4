import { BackLink } from '@/components/ui/back-link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Property } from '@/components/ui/property';
import { DeliveryLog } from '@/components/webhooks/delivery-log';
import { FailingWebhooksBanner } from '@/components/webhooks/failing-webhooks-banner';
import { WebhookControls } from '@/components/webhooks/webhook-controls';
import { WebhookEditForm } from '@/components/webhooks/webhook-edit-form';
import { hasRole } from '@/lib/auth/roles';
import { namedPage, namedPageMetadata, type NamedPageProps } from '@/lib/registries/views';
import { webhooksHref } from '@/lib/webhooks/client-queries';
import { getWebhook } from '@/lib/webhooks/queries';

export const generateMetadata = namedPageMetadata('Webhook');

export default async function WebhookPage(props: NamedPageProps) {
  const { actor, registry, item: webhook } = await namedPage(props, getWebhook);
  const canEdit = hasRole(actor, 'Contributor');
  return (
    <>
      <BackLink href={webhooksHref(registry)}>Webhooks of {registry}</BackLink>
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

import type { Metadata } from 'next';
import { Webhook } from 'lucide-react';
import Link from 'next/link';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { RegistrySwitcher } from '@/components/registries/registry-switcher';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { FailingWebhooksBanner } from '@/components/webhooks/failing-webhooks-banner';
import { WebhookCreateForm } from '@/components/webhooks/webhook-create-form';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { pageCloudRegistry } from '@/lib/registries/views';
import { webhookHref } from '@/lib/webhooks/client-queries';
import { listWebhooks } from '@/lib/webhooks/queries';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<{ registry?: string }> }) {
  const actor = await pageActor();
  const { registries, current } = await pageCloudRegistry((await searchParams).registry);
  const header = (
    <PageHeader
      title="Webhooks"
      description="Signed alerts to your own receivers: a registry offline, a password about to expire, a token or registry disabled."
      actions={current && <RegistrySwitcher registries={registries} current={current.name} />}
    />
  );
  if (!current) {
    return (
      <>
        {header}
        <CloudRegistryRequired what="Webhooks" />
      </>
    );
  }
  const { items } = await listWebhooks(current.name);
  return (
    <>
      {header}
      <FailingWebhooksBanner registry={current.name} webhooks={items} />
      {items.length === 0 ? (
        <EmptyState icon={<Webhook size={32} aria-hidden />} title="No webhooks yet">
          Add one to hear about offline registries and expiring passwords without watching the portal.
        </EmptyState>
      ) : (
        <Table caption={`Webhooks of ${current.name}`}>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>URL</Th>
              <Th>Events</Th>
              <Th>State</Th>
              <Th>Failed deliveries</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {items.map((w) => (
              <tr key={w.name} data-testid="webhook-row">
                <Td className="font-medium">
                  <Link href={webhookHref(current.name, w.name)} className="break-all text-brand-700 dark:text-brand-400 hover:underline">
                    {w.name}
                  </Link>
                </Td>
                <Td className="max-w-xs truncate font-mono text-xs">{w.url}</Td>
                <Td className="text-xs">{w.events.join(', ')}</Td>
                <Td>
                  {w.enabled ? (
                    <Badge tone="green">enabled</Badge>
                  ) : (
                    <Badge tone={w.disabledReason === 'failing' ? 'red' : 'neutral'}>
                      {w.disabledReason === 'failing' ? 'disabled: failing' : 'disabled'}
                    </Badge>
                  )}
                </Td>
                <Td>
                  {w.failedDeliveries > 0 ? (
                    <Badge tone="red">{w.failedDeliveries} failed</Badge>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">none</span>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {hasRole(actor, 'Contributor') && (
        <Card title="New webhook" className="mt-6">
          <WebhookCreateForm registry={current.name} />
        </Card>
      )}
    </>
  );
}

// What the browser reads about webhooks from /api/v1 (with the session cookie), and the
// react-query keys for it.
import type { Page } from '@/lib/api/pagination';
import { getJson } from '@/lib/registries/client-queries';
import type { WebhookDeliveryDto } from './schemas';

export const webhookKeys = {
  deliveries: (registry: string, name: string) =>
    ['registries', registry.toLowerCase(), 'webhooks', name.toLowerCase(), 'deliveries'] as const,
};

export const fetchDeliveries = (registry: string, name: string, signal?: AbortSignal) =>
  getJson<Page<WebhookDeliveryDto>>(
    `/api/v1/registries/${encodeURIComponent(registry)}/webhooks/${encodeURIComponent(name)}/deliveries?limit=50`,
    signal,
  );

export const webhooksHref = (registry: string) => `/webhooks?${new URLSearchParams({ registry })}`;
export const webhookHref = (registry: string, name: string) => `/webhooks/${encodeURIComponent(name)}?${new URLSearchParams({ registry })}`;

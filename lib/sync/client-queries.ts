// What the browser reads about sync history (with the session cookie), and its react-query keys.
import type { Page } from '@/lib/api/pagination';
import { getJson } from '@/lib/registries/client-queries';
import type { SyncRunDto } from './schemas';

export const syncKeys = {
  runs: (registry: string, name: string) => ['registries', registry.toLowerCase(), 'connected', name.toLowerCase(), 'sync-runs'] as const,
};

/** The newest rows of a registry's sync history (the table shows one page: the last 50 are all there is). */
export const fetchSyncRuns = (registry: string, name: string, signal?: AbortSignal) =>
  getJson<Page<SyncRunDto>>(
    `/api/v1/registries/${encodeURIComponent(registry)}/connected-registries/${encodeURIComponent(name)}/sync-runs?limit=50`,
    signal,
  );

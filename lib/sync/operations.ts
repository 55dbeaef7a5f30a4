// Sync history's REST operations, for the OpenAPI document (lib/api/operations.ts).
import type { Operation } from '@/lib/api/openapi';
import { pageOf } from '@/lib/api/openapi';
import { resourceOperations } from '@/lib/api/resource-operations';
import { listSyncRunsQuery, syncRequestDto, syncRunDto } from './schemas';

const connected = resourceOperations({
  tag: 'Connected registries',
  path: '/api/v1/registries/{registry}/connected-registries',
  pathParams: ['registry'],
});

export const syncOperations: Operation[] = [
  connected.show({
    sub: '/sync-runs',
    query: listSyncRunsQuery,
    summary:
      'Sync history, newest first: the last 50 rows the edge reported (runs in progress included); consecutive runs that changed nothing are one row with runCount',
    description: 'A page of sync runs',
    schema: pageOf(syncRunDto),
  }),
  connected.act({
    sub: '/sync',
    summary:
      'Sync now: the edge starts a run within seconds (through its configuration long poll), whatever its schedule. A request not yet taken is answered again; 409 sync_in_progress while a run goes, registry_disabled when its sync token is disabled',
    status: 202,
    description: 'Requested',
    schema: syncRequestDto,
  }),
];

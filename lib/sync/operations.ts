// Sync history's REST operations, for the OpenAPI document (lib/api/operations.ts).
import type { Operation } from '@/lib/api/openapi';
import { pageOf } from '@/lib/api/openapi';
import { listSyncRunsQuery, syncRequestDto, syncRunDto } from './schemas';

const CR = '/api/v1/registries/{registry}/connected-registries/{name}';
const tag = 'Connected registries';

export const syncOperations: Operation[] = [
  {
    method: 'get',
    path: `${CR}/sync-runs`,
    tag,
    pathParams: ['registry', 'name'],
    query: listSyncRunsQuery,
    errors: [404],
    summary:
      'Sync history, newest first: the last 50 rows the edge reported (runs in progress included); consecutive runs that changed nothing are one row with runCount',
    response: { status: 200, description: 'A page of sync runs', schema: pageOf(syncRunDto) },
  },
  {
    method: 'post',
    path: `${CR}/sync`,
    tag,
    pathParams: ['registry', 'name'],
    errors: [403, 404, 409],
    summary:
      'Sync now: the edge starts a run within seconds (through its configuration long poll), whatever its schedule. A request not yet taken is answered again; 409 sync_in_progress while a run goes, registry_disabled when its sync token is disabled',
    response: { status: 202, description: 'Requested', schema: syncRequestDto },
  },
];

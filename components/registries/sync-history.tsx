'use client';
// A connected registry's sync history as its edge reports it, live: the current run's progress
// while one goes (polled every 3 s), and the last runs (every 10 s otherwise). Consecutive runs
// that changed nothing are one row with their count.
import { useQuery } from '@tanstack/react-query';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import type { Page } from '@/lib/api/pagination';
import { formatUtc } from '@/lib/registries/format';
import { fetchSyncRuns, syncKeys } from '@/lib/sync/client-queries';
import { describeCounts, describeTrigger, formatDuration } from '@/lib/sync/format';
import type { SyncRunDto } from '@/lib/sync/schemas';
import { SyncRunProgress } from './sync-run-progress';

const statusTone: Record<SyncRunDto['status'], BadgeTone> = { Running: 'blue', Succeeded: 'green', Failed: 'red', Stopped: 'amber' };

function RunStatus({ run }: { run: SyncRunDto }) {
  if (run.abandoned) {
    return (
      <Badge tone="neutral">
        <span title="It was Running but its edge has not reported for 5 minutes">abandoned</span>
      </Badge>
    );
  }
  return <Badge tone={statusTone[run.status]}>{run.status}</Badge>;
}

function RepositoryCounts({ run }: { run: SyncRunDto }) {
  if (!run.repositories.length) return null;
  return (
    <details className="mt-1 text-xs text-slate-600 dark:text-slate-400">
      <summary className="cursor-pointer select-none">
        {run.repositories.length} {run.repositories.length === 1 ? 'repository' : 'repositories'}
      </summary>
      <ul className="mt-1 space-y-0.5">
        {run.repositories.map((r) => (
          <li key={r.name}>
            <code className="font-mono">{r.name}</code>: down {describeCounts(r.down)}; up {describeCounts(r.up)}
            {r.error && <span className="text-red-700 dark:text-red-400"> — {r.error}</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function SyncHistory({ registry, name, initial }: { registry: string; name: string; initial: Page<SyncRunDto> }) {
  const { data, error } = useQuery({
    queryKey: syncKeys.runs(registry, name),
    queryFn: ({ signal }) => fetchSyncRuns(registry, name, signal),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.items[0]?.status === 'Running' ? 3_000 : 10_000),
  });
  const runs = data.items;
  const current = runs[0]?.status === 'Running' && !runs[0].abandoned ? runs[0] : null;

  return (
    <div className="space-y-4" data-testid="sync-history">
      {current && <SyncRunProgress run={current} />}
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error.message}</p>}
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          No sync run reported yet. Runs appear here as {name}&apos;s edge reports them.
        </p>
      ) : (
        <Table caption={`Sync history of ${name}`}>
          <thead>
            <tr>
              <Th>Started</Th>
              <Th>Trigger</Th>
              <Th>Status</Th>
              <Th>Duration</Th>
              <Th>Down</Th>
              <Th>Up</Th>
              <Th>Conflicts</Th>
              <Th>Error</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {runs.map((run) => (
              <tr key={run.id} data-testid="sync-run">
                <Td className="whitespace-nowrap">
                  {formatUtc(run.startedAt)}
                  {run.runCount > 1 && (
                    <span
                      className="block text-xs text-slate-500 dark:text-slate-400"
                      title={`${run.runCount} consecutive runs that changed nothing, the last ended ${formatUtc(run.endedAt)}`}
                    >
                      × {run.runCount} runs, no change
                    </span>
                  )}
                  {run.kind === 'gc' && <span className="block text-xs text-slate-500 dark:text-slate-400">garbage collection</span>}
                </Td>
                <Td>{describeTrigger(run.trigger)}</Td>
                <Td>
                  <RunStatus run={run} />
                </Td>
                <Td className="whitespace-nowrap">
                  {run.runCount > 1 ? `last ${formatUtc(run.endedAt)}` : formatDuration(run.startedAt, run.endedAt)}
                </Td>
                <Td>{describeCounts(run.totals.down)}</Td>
                <Td>{describeCounts(run.totals.up)}</Td>
                <Td>
                  {run.conflictCount ? (
                    <span title={run.conflicts.map((c) => `${c.repository}:${c.tag} → kept as ${c.keptAs ?? '?'}`).join('\n')}>
                      {run.conflictCount}
                    </span>
                  ) : (
                    '–'
                  )}
                </Td>
                <Td className="max-w-sm">
                  {run.error ? <span className="break-words text-red-700 dark:text-red-400">{run.error}</span> : '–'}
                  <RepositoryCounts run={run} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}

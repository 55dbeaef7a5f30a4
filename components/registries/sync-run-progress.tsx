import { formatUtc } from '@/lib/registries/format';
import { describeCounts, describeTrigger } from '@/lib/sync/format';
import type { SyncRunDto } from '@/lib/sync/schemas';

/** The run in progress: how many of its repositories are done, and what moved so far. */
export function SyncRunProgress({ run }: { run: SyncRunDto }) {
  const total = run.repositoriesTotal;
  const done = run.repositories.length;
  return (
    <div
      role="status"
      aria-live="polite"
      className="rounded-md border border-sky-200 dark:border-sky-800 bg-sky-50 dark:bg-sky-950/40 p-3 text-sm text-sky-900 dark:text-sky-300"
      data-testid="sync-run-progress"
    >
      <p className="font-medium">
        {run.kind === 'gc' ? 'Garbage collection' : 'Syncing'} since {formatUtc(run.startedAt)} ({describeTrigger(run.trigger)})
      </p>
      {total ? (
        <>
          <progress className="mt-2 h-2 w-full" max={total} value={Math.min(done, total)} aria-label="Repositories done" />
          <p className="mt-1 text-xs">
            {Math.min(done, total)} of {total} repositories
          </p>
        </>
      ) : null}
      <p className="mt-1 text-xs">
        Down so far: {describeCounts(run.totals.down)} · up: {describeCounts(run.totals.up)} · last report {formatUtc(run.reportedAt)}
      </p>
    </div>
  );
}

import { clsx } from 'clsx';
import type { ConnectionStateName } from '@/lib/registries/rules';

const styles: Record<ConnectionStateName, { dot: string; text: string }> = {
  Online: { dot: 'bg-emerald-500', text: 'text-emerald-700 dark:text-emerald-400' },
  Syncing: { dot: 'bg-sky-500 animate-pulse', text: 'text-sky-700 dark:text-sky-400' },
  Unhealthy: { dot: 'bg-red-500', text: 'text-red-700 dark:text-red-400' },
  Offline: { dot: 'bg-slate-400 dark:bg-slate-500', text: 'text-slate-500 dark:text-slate-400' },
};

/**
 * The state the on-premises registry last reported, as a coloured dot and its name; "Not
 * deployed" when it never reported (rather than "Offline", which says it was once there).
 */
export function ConnectionState({
  state,
  notDeployed,
  className,
}: {
  state: ConnectionStateName;
  notDeployed?: boolean;
  className?: string;
}) {
  if (notDeployed) {
    return (
      <span
        className={clsx('inline-flex shrink-0 items-center gap-1.5 text-xs font-medium text-slate-600 dark:text-slate-400', className)}
        title="It has never reported to Canopy: deploy it with its connection string"
      >
        <span className="size-2 rounded-full border border-slate-400" aria-hidden />
        Not deployed
      </span>
    );
  }
  const s = styles[state];
  return (
    <span className={clsx('inline-flex shrink-0 items-center gap-1.5 text-xs font-medium', s.text, className)}>
      <span className={clsx('size-2 rounded-full', s.dot)} aria-hidden />
      {state}
    </span>
  );
}

'use client';
// One permission matrix: rows × actions, with the action groups above the actions. The same
// table serves repositories and gateway actions; its shape (groups, spans, the row's cells)
// comes from lib/scope-maps/permission-matrix.
import { Check, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { columnCount, columnGroups, startsGroup } from '@/lib/scope-maps/permission-matrix';

export type MatrixRow = {
  key: string;
  /** the row header's content */
  label: ReactNode;
  /** the name in the cells' accessible labels */
  name: string;
  granted: Set<string>;
  /** data attributes of the row (for tests and styling) */
  data?: Record<`data-${string}`, string>;
};

function Granted({ on, label }: { on: boolean; label: string }) {
  return on ? (
    <span
      className="inline-flex size-5 items-center justify-center rounded bg-brand-50 dark:bg-brand-900/40 text-brand-700 dark:text-brand-400"
      title={label}
    >
      <Check size={14} aria-hidden />
      <span className="sr-only">{label}: granted</span>
    </span>
  ) : (
    <span className="inline-block size-5 text-slate-300 dark:text-slate-600">
      <span aria-hidden>·</span>
      <span className="sr-only">{label}: not granted</span>
    </span>
  );
}

const headCell = 'px-2 py-1.5 text-center text-[11px] font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400';

export function PermissionMatrix({
  caption,
  rowHeader,
  actions,
  rows,
  readOnly,
  onToggle,
  onRemove,
  empty,
  footer,
  testId,
  rowTestId,
}: {
  caption: string;
  rowHeader: string;
  actions: readonly string[];
  rows: MatrixRow[];
  readOnly: boolean;
  onToggle: (row: string, action: string, on: boolean) => void;
  onRemove: (row: string) => void;
  /** what stands in for the rows when there are none */
  empty: ReactNode;
  /** a row below the table (adding a row), across all columns */
  footer?: ReactNode;
  testId: string;
  rowTestId: string;
}) {
  const span = columnCount(actions, readOnly);
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900">
      <table className="min-w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 dark:bg-slate-800/60">
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th
              scope="col"
              rowSpan={2}
              className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400"
            >
              {rowHeader}
            </th>
            {columnGroups(actions).map((group) => (
              <th
                key={group.name}
                scope="colgroup"
                colSpan={group.actions.length}
                className="border-l border-slate-200 dark:border-slate-800 px-2 pt-1.5 text-center text-xs font-semibold text-slate-700 dark:text-slate-300"
              >
                {group.name}
              </th>
            ))}
            {!readOnly && (
              <th rowSpan={2} className="w-10">
                <span className="sr-only">Remove</span>
              </th>
            )}
          </tr>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            {actions.map((a, i) => (
              <th
                key={a}
                scope="col"
                className={`${headCell} ${startsGroup(actions, i) ? 'border-l border-slate-200 dark:border-slate-800' : ''}`}
                title={a}
              >
                {a.split('/')[1]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.length === 0 && (
            <tr>
              <td colSpan={span} className="px-3 py-4 text-center text-sm text-slate-500 dark:text-slate-400">
                {empty}
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.key} data-testid={rowTestId} {...row.data} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/40">
              <th scope="row" className="px-3 py-2 text-left text-sm font-medium text-slate-800 dark:text-slate-200">
                {row.label}
              </th>
              {actions.map((a, i) => {
                const label = `${row.name} ${a}`;
                return (
                  <td
                    key={a}
                    className={`px-2 py-2 text-center ${startsGroup(actions, i) ? 'border-l border-slate-100 dark:border-slate-800' : ''}`}
                  >
                    {readOnly ? (
                      <Granted on={row.granted.has(a)} label={label} />
                    ) : (
                      <input
                        type="checkbox"
                        aria-label={label}
                        checked={row.granted.has(a)}
                        onChange={(e) => onToggle(row.key, a, e.target.checked)}
                        className="size-4 accent-brand-600"
                      />
                    )}
                  </td>
                );
              })}
              {!readOnly && (
                <td className="px-2 py-1 text-center">
                  <button
                    type="button"
                    onClick={() => onRemove(row.key)}
                    aria-label={`Remove ${row.name}`}
                    className="rounded p-1 text-slate-400 dark:text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800 hover:text-slate-700 dark:hover:text-slate-300"
                  >
                    <X size={15} aria-hidden />
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
        {footer && (
          <tfoot className="border-t border-slate-200 dark:border-slate-800 bg-slate-50/60 dark:bg-slate-800/40">
            <tr>
              <td colSpan={span} className="px-3 py-2">
                {footer}
              </td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

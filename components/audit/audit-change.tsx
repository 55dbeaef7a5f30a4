import type { ChangeRow, ChangeValue } from '@/lib/audit/changes';

// a long list (a scope map's 500 actions) shows its first items and folds the rest
const SHOWN_ITEMS = 5;

function Value({ value, className }: { value: ChangeValue; className?: string }) {
  if ('text' in value) return <span className={className}>{value.text}</span>;
  const folded = value.items.slice(SHOWN_ITEMS);
  return (
    <>
      <span className={className}>{value.items.slice(0, SHOWN_ITEMS).join(', ')}</span>
      {folded.length > 0 && (
        <details className={className}>
          <summary className="cursor-pointer text-brand-700 dark:text-brand-400 underline">and {folded.length} more</summary>
          {folded.join(', ')}
        </details>
      )}
    </>
  );
}

/** One event's change as "field: before → after" lines (lib/audit/changes.ts reads the details). */
export function AuditChange({ rows }: { rows: ChangeRow[] }) {
  if (!rows.length) return <span className="text-slate-600 dark:text-slate-400">—</span>;
  return (
    <dl className="space-y-1" data-testid="audit-change">
      {rows.map((row, i) => (
        <div key={i} className="flex flex-wrap gap-x-1.5">
          <dt className="font-medium text-slate-700 dark:text-slate-300">{row.field}:</dt>{' '}
          <dd className="min-w-0">
            {row.value ? (
              <Value value={row.value} />
            ) : (
              <>
                {row.before ? <Value value={row.before} className="text-slate-600 dark:text-slate-400" /> : <span>—</span>}
                {' → '}
                {row.after ? <Value value={row.after} className="font-medium text-slate-900 dark:text-slate-100" /> : <span>none</span>}
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

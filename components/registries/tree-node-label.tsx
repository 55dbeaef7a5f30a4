'use client';
import { clsx } from 'clsx';
import { ChevronRight, Cloud, Network, Server } from 'lucide-react';
import { memo } from 'react';
import { Badge } from '@/components/ui/badge';
import type { HierarchyTreeNode } from '@/lib/registries/tree-model';
import { ConnectionState } from './connection-state';
import { ModeBadge } from './mode-badge';
import { ParentDisabledBadge } from './parent-disabled-badge';
import { SyncDisabledBadge } from './sync-disabled-badge';
import { SyncFailedBadge } from './sync-failed-badge';

type Props = {
  id: string;
  /** the connected registry, or null for the cloud registry at the root */
  node: HierarchyTreeNode | null;
  rootName: string;
  rootLoginServer: string;
  childCount: number;
  /** its nearest disabled ancestor, when it is under one */
  disabledAncestor: string | null;
  hasChildren: boolean;
  expanded: boolean;
  /** the search text to highlight in the name */
  highlight: string;
  onToggle: (key: string) => void;
  /** a search's match in a flat list: no room kept for an expand arrow */
  flat?: boolean;
};

function Highlighted({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLowerCase().indexOf(query) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-amber-200/80 dark:bg-amber-700/60 px-0 text-inherit">{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

/**
 * What one tree row shows. Memoized: a row re-renders only when its own registry, child count,
 * expansion or highlight changes (react-query keeps unchanged nodes' identity across polls).
 */
export const TreeNodeLabel = memo(function TreeNodeLabel({
  id,
  node,
  rootName,
  rootLoginServer,
  childCount,
  disabledAncestor,
  hasChildren,
  expanded,
  highlight,
  onToggle,
  flat = false,
}: Props) {
  const key = node ? node.name : '';
  return (
    <>
      {hasChildren ? (
        <span
          aria-hidden
          onClick={(e) => {
            e.stopPropagation();
            onToggle(key);
          }}
          className="flex size-5 shrink-0 cursor-pointer items-center justify-center rounded text-slate-500 dark:text-slate-400 hover:bg-slate-200 dark:hover:bg-slate-700 hover:text-slate-800 dark:hover:text-slate-200"
        >
          <ChevronRight size={15} className={expanded ? 'rotate-90 transition-transform' : 'transition-transform'} />
        </span>
      ) : flat ? null : (
        <span aria-hidden className="size-5 shrink-0" />
      )}
      {node ? (
        <Server
          size={15}
          aria-hidden
          className={
            node.activationStatus === 'Active'
              ? 'shrink-0 text-slate-500 dark:text-slate-400'
              : 'shrink-0 text-slate-400 dark:text-slate-500'
          }
        />
      ) : (
        <Cloud size={16} aria-hidden className="shrink-0 text-brand-600 dark:text-brand-400" />
      )}
      <span
        id={`${id}-label`}
        className={clsx(
          'truncate text-slate-900 dark:text-slate-100',
          node ? 'font-medium' : 'font-semibold',
          // a match's row wraps its marks below the name on a narrow screen: the name stays beside its icon
          flat && 'max-w-[calc(100%-1.5rem)]',
        )}
      >
        <Highlighted text={node ? node.name : rootName} query={highlight} />
      </span>
      <span id={`${id}-desc`} className="flex min-w-0 items-center gap-2">
        {node ? (
          <>
            <ModeBadge mode={node.mode} />
            <ConnectionState state={node.connectionState} notDeployed={node.notDeployed} />
            {node.disabled && <SyncDisabledBadge />}
            {disabledAncestor && <ParentDisabledBadge parent={node.parent} disabledAncestor={disabledAncestor} />}
            {node.syncFailed && <SyncFailedBadge />}
            {node.activationStatus === 'Inactive' && !node.notDeployed && (
              <span className="hidden text-xs text-slate-600 dark:text-slate-400 lg:inline">inactive</span>
            )}
          </>
        ) : (
          <>
            <Badge tone="green" className="shrink-0">
              cloud registry
            </Badge>
            {/* the tree is as wide as its widest row: a login server of up to 259 characters is capped, with its ellipsis in sight and the whole name on hover */}
            <span
              title={rootLoginServer}
              className="hidden max-w-60 truncate font-mono text-xs text-slate-500 dark:text-slate-400 md:block"
            >
              {rootLoginServer}
            </span>
          </>
        )}
        <span className="sr-only">
          , {childCount} {childCount === 1 ? 'child' : 'children'}
        </span>
      </span>
      <span
        aria-hidden
        title={`${childCount} connected ${childCount === 1 ? 'registry' : 'registries'} directly under it`}
        className={
          childCount
            ? 'ml-auto inline-flex shrink-0 items-center gap-1 rounded-full bg-slate-100 dark:bg-slate-800 px-2 py-0.5 text-xs font-medium tabular-nums text-slate-600 dark:text-slate-400'
            : 'ml-auto inline-flex shrink-0 items-center gap-1 px-2 py-0.5 text-xs tabular-nums text-slate-300 dark:text-slate-600'
        }
      >
        <Network size={11} /> {childCount}
      </span>
    </>
  );
});

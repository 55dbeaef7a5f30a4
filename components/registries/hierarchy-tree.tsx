'use client';
// The hierarchy as a WAI-ARIA tree (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/):
// nested treeitems and groups, one tab stop (roving tabindex), arrows, Home/End, type-ahead,
// `*` to expand siblings, Enter or Space to select (the details panel opens).
// Only expanded rows are rendered: children come from the server a level (a page) at a time when
// a row opens, and a level with more children ends with a row that loads the next page.
// During a search the tree is a flat list of the matches, each with its path as a breadcrumb
// (at most 50 rows however deep they are: `npm run bench:ui` times it).
import { clsx } from 'clsx';
import { Loader2 } from 'lucide-react';
import { Fragment, useCallback, useEffect, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import {
  ROOT,
  ancestorKeys,
  childCountOf,
  childrenOf,
  compactPath,
  type HierarchyIndex,
  type MoreRow,
  type NodeRow,
  type VisibleRow,
} from '@/lib/registries/tree-model';
import { LEVEL_PAGE_SIZE, MAX_LEVEL_LIMIT } from '@/lib/registries/hierarchy-schemas';
import { TreeNodeLabel } from './tree-node-label';

type Props = {
  /** the loaded levels, or a search's matches and the paths to them */
  index: HierarchyIndex;
  /** the rows on screen (visibleRows of the index, or a search's matchRows) */
  rows: readonly VisibleRow[];
  /** during a search: the path to each match (matchPath), the rows being the matches alone */
  paths?: ReadonlyMap<string, readonly string[]> | null;
  /** the search text shown (lower case), '' when not searching */
  query: string;
  selected: string | null;
  onSelect: (key: string) => void;
  /** opens or closes one row */
  onToggle: (key: string) => void;
  /** opens these rows (`*`: a row and its siblings) */
  onExpand: (keys: readonly string[]) => void;
  /** loads the next page of a level's children */
  onLoadMore: (parent: string) => void;
  /** a node to focus first (from `?node=`), scrolled into view */
  initialFocus?: string | null;
};

export function HierarchyTree({ index, rows, paths, query, selected, onSelect, onToggle, onExpand, onLoadMore, initialFocus }: Props) {
  const idPrefix = `tree-${index.registry.name}`;
  const domId = useCallback(
    (key: string) =>
      key === ROOT ? `${idPrefix}-root` : key.startsWith('more:') ? `${idPrefix}-${key.replace(':', '-')}` : `${idPrefix}-n-${key}`,
    [idPrefix],
  );

  const [focused, setFocused] = useState<string>(() => initialFocus || ROOT);
  const rowIndex = new Map(rows.map((r, i) => [r.key, i]));

  // the one tab stop: the focused row, or (when it was hidden) its nearest visible ancestor
  let tabStop = focused;
  if (!rowIndex.has(tabStop)) tabStop = ancestorKeys(index, focused).find((a) => rowIndex.has(a)) ?? rows[0]?.key ?? ROOT;

  useEffect(() => {
    // for `npm run bench:ui`: the tree is rendered and hydrated, so the keyboard works
    performance.mark('canopy:tree-interactive');
    // a node named in the link (`?node=`) is scrolled into view
    // (scrolling the tree's own box only, not the page)
    const row = initialFocus ? document.getElementById(`${idPrefix}-n-${initialFocus}`) : null;
    const box = row?.closest<HTMLElement>('.overflow-auto');
    if (row && box) box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the tree first shows
  }, []);

  const focusKey = useCallback(
    (key: string) => {
      setFocused(key);
      document.getElementById(domId(key))?.focus();
    },
    [domId],
  );

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = rowIndex.get(tabStop);
    if (at === undefined) return;
    const row = rows[at];
    // a search's matches are a flat list: no row above them to go to
    const parentKey = paths ? null : row.kind === 'more' ? row.parent : row.key === ROOT ? null : (index.parentOf.get(row.key) ?? ROOT);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (at + 1 < rows.length) focusKey(rows[at + 1].key);
        break;
      case 'ArrowUp':
        if (at > 0) focusKey(rows[at - 1].key);
        break;
      case 'ArrowRight':
        if (row.kind === 'more') break;
        if (row.hasChildren && !row.expanded) onToggle(row.key);
        else if (row.expanded && at + 1 < rows.length && rows[at + 1].level > row.level) focusKey(rows[at + 1].key);
        break;
      case 'ArrowLeft':
        if (row.kind === 'node' && row.expanded) onToggle(row.key);
        else if (parentKey !== null) focusKey(parentKey);
        break;
      case 'Home':
        if (rows.length) focusKey(rows[0].key);
        break;
      case 'End':
        if (rows.length) focusKey(rows[rows.length - 1].key);
        break;
      case 'Enter':
      case ' ':
        if (row.kind === 'more') onLoadMore(row.parent);
        else onSelect(row.key);
        break;
      case '*':
        if (!paths) onExpand(parentKey === null ? [ROOT] : childrenOf(index, parentKey));
        break;
      default:
        // type-ahead: the next row whose name starts with the typed character
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const ch = event.key.toLowerCase();
          for (let i = 1; i <= rows.length; i++) {
            const candidate = rows[(at + i) % rows.length];
            if (candidate.kind === 'more') continue;
            const name = candidate.key === ROOT ? index.registry.name : candidate.key;
            if (name.toLowerCase().startsWith(ch)) {
              focusKey(candidate.key);
              break;
            }
          }
        } else handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  /** A click on a row focuses it and acts (a click inside a nested row is that row's alone). */
  const clicked = (key: string, act: () => void) => (event: MouseEvent) => {
    event.stopPropagation();
    focusKey(key);
    act();
  };

  const rowLook = (isSelected: boolean) =>
    clsx(
      'my-px cursor-pointer select-none rounded-md px-1.5 text-sm',
      '[[role=treeitem]:focus-visible>&]:outline-2 [[role=treeitem]:focus-visible>&]:-outline-offset-2 [[role=treeitem]:focus-visible>&]:outline-brand-600',
      isSelected ? 'bg-brand-50 dark:bg-brand-900/40 ring-1 ring-inset ring-brand-500/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800',
    );
  // rows off screen are neither laid out nor painted (a level may show a thousand)
  const rowClass = (isSelected: boolean) =>
    clsx(rowLook(isSelected), 'flex h-9 items-center gap-2 [contain-intrinsic-size:auto_2.25rem] [content-visibility:auto]');
  // a match: its row, and its path below it
  const matchClass = (isSelected: boolean) =>
    clsx(
      rowLook(isSelected),
      'flex flex-col justify-center gap-0.5 py-1.5 [contain-intrinsic-size:auto_3.25rem] [content-visibility:auto]',
    );

  function renderMore(row: MoreRow) {
    const id = domId(row.key);
    const more = Math.min(row.total - row.shown, LEVEL_PAGE_SIZE);
    const canLoad = row.shown < MAX_LEVEL_LIMIT;
    return (
      <li
        key={row.key}
        id={id}
        role="treeitem"
        aria-level={row.level}
        aria-selected={false}
        tabIndex={row.key === tabStop ? 0 : -1}
        data-key={row.key}
        className="outline-none"
        onClick={clicked(row.key, () => onLoadMore(row.parent))}
      >
        <div className={rowClass(false)}>
          <span aria-hidden className="size-5 shrink-0" />
          <span className="truncate text-xs text-slate-600 dark:text-slate-400">
            {row.shown.toLocaleString('en')} of {row.total.toLocaleString('en')} shown ·{' '}
            {canLoad ? (
              <span className="font-medium text-brand-700 dark:text-brand-300">Show {more.toLocaleString('en')} more</span>
            ) : (
              'search to find the others'
            )}
          </span>
        </div>
      </li>
    );
  }

  function renderNode(row: NodeRow, group: ReactNode) {
    const id = domId(row.key);
    const node = row.key === ROOT ? null : (index.byName.get(row.key) ?? null);
    const isSelected = selected === row.key;
    const path = paths?.get(row.key);
    const label = (
      <TreeNodeLabel
        id={id}
        node={node}
        rootName={index.registry.name}
        rootLoginServer={index.registry.loginServer}
        childCount={node ? node.childCount : childCountOf(index, ROOT)}
        disabledAncestor={index.disabledAncestor.get(row.key) ?? null}
        hasChildren={row.hasChildren}
        expanded={row.expanded}
        highlight={query}
        onToggle={onToggle}
        flat={Boolean(paths)}
      />
    );
    return (
      <li
        key={row.key || '\u0000root'}
        id={id}
        role="treeitem"
        aria-level={row.level}
        aria-posinset={row.posinset}
        aria-setsize={row.setsize}
        aria-expanded={row.hasChildren ? row.expanded : undefined}
        aria-busy={row.loading || undefined}
        aria-selected={isSelected}
        aria-labelledby={`${id}-label`}
        aria-describedby={path ? `${id}-desc ${id}-path` : `${id}-desc`}
        tabIndex={row.key === tabStop ? 0 : -1}
        data-key={row.key}
        className="outline-none"
        onClick={clicked(row.key, () => onSelect(row.key))}
      >
        {path ? (
          <div className={matchClass(isSelected)}>
            {/* on a narrow screen the marks go below the name */}
            <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">{label}</div>
            <MatchPath id={`${id}-path`} cloud={index.registry.name} path={path} />
          </div>
        ) : (
          <div className={rowClass(isSelected)}>
            {label}
            {row.loading && <Loader2 size={14} aria-hidden className="shrink-0 animate-spin text-slate-400 dark:text-slate-500" />}
          </div>
        )}
        {group}
      </li>
    );
  }

  function renderLevel(start: number, level: number): [ReactNode[], number] {
    const items: ReactNode[] = [];
    let i = start;
    while (i < rows.length && rows[i].level === level) {
      const row = rows[i];
      i += 1;
      if (row.kind === 'more') {
        items.push(renderMore(row));
        continue;
      }
      let group: ReactNode = null;
      if (row.expanded && i < rows.length && rows[i].level === level + 1) {
        const [children, next] = renderLevel(i, level + 1);
        i = next;
        group = (
          <ul role="group" className="ml-[1.05rem] border-l border-slate-200 dark:border-slate-800 pl-1.5">
            {children}
          </ul>
        );
      }
      items.push(renderNode(row, group));
    }
    return [items, i];
  }

  const [items] = renderLevel(0, 1);
  return (
    <ul
      role="tree"
      aria-label={`Hierarchy of ${index.registry.name}`}
      data-query={query}
      data-rows={rows.length}
      onKeyDown={onKeyDown}
      className={paths ? 'min-w-0' : 'min-w-max'}
    >
      {items}
    </ul>
  );
}

/** Where a match is: "under" its path from the top level down, shortened in the middle when long (in full on hover and for screen readers). */
function MatchPath({ id, cloud, path }: { id: string; cloud: string; path: readonly string[] }) {
  const full = path.length ? path.join(' › ') : `${cloud}, the cloud registry`;
  const shown = path.length ? compactPath(path) : [cloud];
  return (
    <p id={id} title={`Under ${full}`} className="flex min-w-0 gap-1 pl-6 text-xs text-slate-600 dark:text-slate-400">
      <span className="sr-only">under {full}</span>
      <span aria-hidden className="shrink-0">
        under
      </span>
      {shown.map((name, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <span aria-hidden className="shrink-0">
              ›
            </span>
          )}
          <span aria-hidden className={name === '…' ? 'shrink-0' : 'min-w-0 truncate'}>
            {name}
          </span>
        </Fragment>
      ))}
    </p>
  );
}

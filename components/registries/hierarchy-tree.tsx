'use client';
// The hierarchy as a WAI-ARIA tree (https://www.w3.org/WAI/ARIA/apg/patterns/treeview/):
// nested treeitems and groups, one tab stop (roving tabindex), arrows, Home/End, type-ahead,
// `*` to expand siblings, Enter or Space to select (the details panel opens).
// Only expanded rows are rendered; the search shows matches and the path to them.
import { clsx } from 'clsx';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  ROOT,
  ancestorKeys,
  childrenOf,
  searchHierarchy,
  toggleKey,
  visibleRows,
  type HierarchyIndex,
  type VisibleRow,
} from '@/lib/registries/tree-model';
import { TreeNodeLabel } from './tree-node-label';

/** Small trees open fully; big ones open their first level only. */
const EXPAND_ALL_UP_TO = 60;
/** A search that matches more shows the first this many (and says so). */
export const SEARCH_LIMIT = 100;

type Props = {
  index: HierarchyIndex;
  /** the (deferred) search text */
  query: string;
  selected: string | null;
  onSelect: (key: string) => void;
  /** a node to reveal and focus first (from `?node=`) */
  initialFocus?: string | null;
  /** start with only the first level open, whatever the tree's size ("Collapse all") */
  collapsed?: boolean;
};

function initialExpanded(index: HierarchyIndex, reveal: string | null | undefined, collapsed: boolean): Set<string> {
  const expanded = new Set<string>([ROOT]);
  if (!collapsed && index.byName.size <= EXPAND_ALL_UP_TO) for (const key of index.children.keys()) expanded.add(key);
  if (reveal && index.byName.has(reveal)) for (const a of ancestorKeys(index, reveal)) expanded.add(a);
  return expanded;
}

export function HierarchyTree({ index, query, selected, onSelect, initialFocus, collapsed = false }: Props) {
  const idPrefix = `tree-${index.registry.name}`;
  const domId = (key: string) => (key === ROOT ? `${idPrefix}-root` : `${idPrefix}-n-${key}`);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => initialExpanded(index, initialFocus, collapsed));
  const [focused, setFocused] = useState<string>(() => (initialFocus && index.byName.has(initialFocus) ? initialFocus : ROOT));

  const search = useMemo(() => searchHierarchy(index, query, SEARCH_LIMIT), [index, query]);
  const searching = search !== null;

  // A new search starts with every path open; clearing it reveals the node that has focus.
  const [lastQuery, setLastQuery] = useState(query);
  if (lastQuery !== query) {
    setLastQuery(query);
    const next = new Set([...expanded].filter((k) => !k.startsWith('-')));
    if (!query.trim() && focused !== ROOT) for (const a of ancestorKeys(index, focused)) next.add(a);
    setExpanded(next);
  }

  const rows = useMemo(() => visibleRows(index, expanded, search), [index, expanded, search]);
  const rowIndex = useMemo(() => new Map(rows.map((r, i) => [r.key, i])), [rows]);

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
      document.getElementById(key === ROOT ? `${idPrefix}-root` : `${idPrefix}-n-${key}`)?.focus();
    },
    [idPrefix],
  );

  const toggle = useCallback(
    (key: string) => {
      setExpanded((prev) => {
        const marker = toggleKey(key, searching);
        const next = new Set(prev);
        if (next.has(marker)) next.delete(marker);
        else next.add(marker);
        return next;
      });
    },
    [searching],
  );
  const setOpen = (row: VisibleRow, open: boolean) => {
    if (row.expanded !== open) toggle(row.key);
  };

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = rowIndex.get(tabStop);
    if (at === undefined) return;
    const row = rows[at];
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        if (at + 1 < rows.length) focusKey(rows[at + 1].key);
        break;
      case 'ArrowUp':
        if (at > 0) focusKey(rows[at - 1].key);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) setOpen(row, true);
        else if (row.expanded && at + 1 < rows.length) focusKey(rows[at + 1].key);
        break;
      case 'ArrowLeft':
        if (row.expanded) setOpen(row, false);
        else if (row.key !== ROOT) focusKey(index.parentOf.get(row.key) ?? ROOT);
        break;
      case 'Home':
        if (rows.length) focusKey(rows[0].key);
        break;
      case 'End':
        if (rows.length) focusKey(rows[rows.length - 1].key);
        break;
      case 'Enter':
      case ' ':
        onSelect(row.key);
        break;
      case '*': {
        const parent = row.key === ROOT ? null : (index.parentOf.get(row.key) ?? ROOT);
        const siblings = parent === null ? [ROOT] : childrenOf(index, parent);
        setExpanded((prev) => {
          const next = new Set(prev);
          for (const s of siblings) {
            if (searching) next.delete(`-${s}`);
            else if (childrenOf(index, s).length) next.add(s);
          }
          return next;
        });
        break;
      }
      default:
        // type-ahead: the next row whose name starts with the typed character
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const ch = event.key.toLowerCase();
          for (let i = 1; i <= rows.length; i++) {
            const candidate = rows[(at + i) % rows.length];
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

  const highlight = search?.query ?? '';

  function renderLevel(start: number, level: number): [ReactNode[], number] {
    const items: ReactNode[] = [];
    let i = start;
    while (i < rows.length && rows[i].level === level) {
      const row = rows[i];
      i += 1;
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
      const id = domId(row.key);
      const node = row.key === ROOT ? null : (index.byName.get(row.key) ?? null);
      const isSelected = selected === row.key;
      items.push(
        <li
          key={row.key || '\u0000root'}
          id={id}
          role="treeitem"
          aria-level={row.level}
          aria-posinset={row.posinset}
          aria-setsize={row.setsize}
          aria-expanded={row.hasChildren ? row.expanded : undefined}
          aria-selected={isSelected}
          aria-labelledby={`${id}-label`}
          aria-describedby={`${id}-desc`}
          tabIndex={row.key === tabStop ? 0 : -1}
          data-key={row.key}
          className="outline-none"
          onClick={(e) => {
            e.stopPropagation();
            focusKey(row.key);
            onSelect(row.key);
          }}
        >
          <div
            className={clsx(
              // rows off screen are neither laid out nor painted (a search may show hundreds)
              'my-px flex h-9 cursor-pointer select-none items-center gap-2 rounded-md px-1.5 text-sm [contain-intrinsic-size:auto_2.25rem] [content-visibility:auto]',
              '[[role=treeitem]:focus-visible>&]:outline-2 [[role=treeitem]:focus-visible>&]:-outline-offset-2 [[role=treeitem]:focus-visible>&]:outline-brand-600',
              isSelected
                ? 'bg-brand-50 dark:bg-brand-900/40 ring-1 ring-inset ring-brand-500/40'
                : 'hover:bg-slate-100 dark:hover:bg-slate-800',
            )}
          >
            <TreeNodeLabel
              id={id}
              node={node}
              rootName={index.registry.name}
              rootLoginServer={index.registry.loginServer}
              childCount={childrenOf(index, row.key).length}
              disabledAncestor={index.disabledAncestor.get(row.key) ?? null}
              hasChildren={row.hasChildren}
              expanded={row.expanded}
              highlight={highlight}
              onToggle={toggle}
            />
          </div>
          {group}
        </li>,
      );
    }
    return [items, i];
  }

  const [items] = renderLevel(0, 1);
  return (
    <>
      <p
        role="status"
        data-testid="tree-search-count"
        className={search ? 'mb-2 px-1.5 text-xs text-slate-600 dark:text-slate-400' : 'sr-only'}
      >
        {search
          ? search.total
            ? `${search.total.toLocaleString('en')} ${search.total === 1 ? 'registry matches' : 'registries match'} “${query.trim()}”`
            : 'No registry matches'
          : ''}
      </p>
      {search && search.total > search.matches.size && (
        <p className="mb-2 rounded-md bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-xs text-amber-800 dark:text-amber-200">
          Showing the first {search.matches.size} of {search.total} matches. Type more of the name to narrow it down.
        </p>
      )}
      <ul
        role="tree"
        aria-label={`Hierarchy of ${index.registry.name}`}
        data-query={search?.query ?? ''}
        data-rows={rows.length}
        onKeyDown={onKeyDown}
        className="min-w-max"
      >
        {items}
      </ul>
      {search && search.total === 0 && (
        <p className="px-2 py-6 text-center text-sm text-slate-600 dark:text-slate-400">No registry name contains “{query.trim()}”.</p>
      )}
    </>
  );
}

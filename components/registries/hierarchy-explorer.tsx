'use client';
import { keepPreviousData, useQueries, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { ChevronsDownUp, ChevronsUpDown, RefreshCw, Search } from 'lucide-react';
import { useCallback, useMemo, useState } from 'react';
import { fetchHierarchyLevel, fetchHierarchySearch, registryKeys } from '@/lib/registries/client-queries';
import { LEVEL_PAGE_SIZE, MAX_LEVEL_LIMIT, type HierarchyLevel } from '@/lib/registries/hierarchy-schemas';
import {
  ROOT,
  ancestorKeys,
  buildLevelIndex,
  buildSearchView,
  childCountOf,
  matchPath,
  matchRows,
  visibleRows,
  type SearchView,
} from '@/lib/registries/tree-model';
import { HierarchyDetailsPanel } from './hierarchy-details-panel';
import { useHydrated } from '@/components/ui/use-hydrated';
import { HierarchyTree } from './hierarchy-tree';

type CloudInfo = { name: string; loginServer: string; dataEndpoint: string; region: string };

/** How often the open levels (and a search) ask for fresh status while the page is visible. */
const POLL_MS = 10_000;
/** "Expand all" opens at most this many rows at a time in a hierarchy that is not loaded whole. */
const EXPAND_STEP = 50;

const toolButton =
  'inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-600 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800 disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:bg-transparent';

/** The levels on screen, one query each (polled for live status), as parent key → level. */
function useHierarchyLevels(registry: string, keys: readonly string[], limits: ReadonlyMap<string, number>) {
  const queryClient = useQueryClient();
  const combine = useCallback(
    (results: UseQueryResult<HierarchyLevel>[]) => ({
      levels: new Map(results.flatMap((r, i) => (r.data ? [[keys[i], r.data] as const] : []))),
      top: results[0],
    }),
    [keys],
  );
  return useQueries({
    queries: keys.map((key) => {
      const limit = limits.get(key) ?? LEVEL_PAGE_SIZE;
      return {
        queryKey: registryKeys.hierarchyLevel(registry, key, limit),
        queryFn: ({ signal }: { signal: AbortSignal }) => fetchHierarchyLevel(registry, key, limit, signal),
        refetchInterval: POLL_MS,
        // a bigger page of a level shows the smaller one until it comes
        placeholderData: () =>
          queryClient.getQueryData<HierarchyLevel>(registryKeys.hierarchyLevel(registry, key, limit - LEVEL_PAGE_SIZE)),
      };
    }),
    combine,
  });
}

/** The Hierarchy page's client side: the tree a level at a time, the search (on the server), and the details. */
export function HierarchyExplorer({
  cloud,
  canEdit,
  canopyUrl,
  initialNode,
  initialExpanded,
  complete,
}: {
  cloud: CloudInfo;
  canEdit: boolean;
  /** where Canopy is reached (its public URL), for the edge's deploy command */
  canopyUrl: string;
  /** the node `?node=` names ('' for the cloud registry) */
  initialNode?: string | null;
  /** the rows open at first (their levels came with the page) */
  initialExpanded: readonly string[];
  /** the whole hierarchy came with the page (it is small) */
  complete: boolean;
}) {
  const queryClient = useQueryClient();
  const registry = useMemo(() => ({ name: cloud.name, loginServer: cloud.loginServer }), [cloud.name, cloud.loginServer]);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(initialNode ?? null);
  /** Selects a node and names it in the URL (`?registry=…&node=…`), so the view can be shared and opened again. */
  const select = useCallback(
    (key: string | null) => {
      setSelected(key);
      const url = new URL(window.location.href);
      url.searchParams.set('registry', cloud.name);
      if (key === null) url.searchParams.delete('node');
      else url.searchParams.set('node', key);
      window.history.replaceState(null, '', url);
    },
    [cloud.name],
  );
  // remounting the tree resets its focus: "collapse all"
  const [treeGeneration, setTreeGeneration] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set([ROOT, ...initialExpanded]));
  const [limits, setLimits] = useState<ReadonlyMap<string, number>>(() => new Map());
  const [expandNote, setExpandNote] = useState<string | null>(null);

  const levelKeys = useMemo(() => [ROOT, ...[...expanded].filter((k) => k !== ROOT)], [expanded]);
  const { levels, top } = useHierarchyLevels(cloud.name, levelKeys, limits);
  const levelIndex = useMemo(() => buildLevelIndex(registry, levels), [registry, levels]);

  const q = query.trim().toLowerCase();
  const search = useQuery({
    queryKey: registryKeys.hierarchySearch(cloud.name, q),
    queryFn: ({ signal }) => fetchHierarchySearch(cloud.name, q, signal),
    enabled: q !== '',
    // every search asks the server: nothing is answered from an earlier one
    gcTime: 0,
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
  const searchData = q ? search.data : undefined;
  const searchView = useMemo(() => (searchData ? buildSearchView(registry, searchData) : null), [registry, searchData]);
  const searching = searchView !== null;
  const index = searchView?.index ?? levelIndex;
  // a search shows its matches as a flat list, each with its path (at most 50 rows, however deep)
  const rows = useMemo(() => (searchView ? matchRows(searchView) : visibleRows(levelIndex, expanded)), [searchView, levelIndex, expanded]);
  const paths = useMemo(
    () => (searchView ? new Map([...searchView.matches].map((m) => [m, matchPath(searchView, m)] as const)) : null),
    [searchView],
  );

  // Clearing a search opens the way to the registry selected in it.
  const [shown, setShown] = useState<{ query: string; view: SearchView | null }>({ query: '', view: null });
  const shownQuery = searchView?.query ?? '';
  if (shown.query !== shownQuery) {
    if (!shownQuery && selected && shown.view?.index.byName.has(selected)) {
      const next = new Set(expanded);
      for (const a of ancestorKeys(shown.view.index, selected)) next.add(a);
      setExpanded(next);
    }
    setShown({ query: shownQuery, view: searchView });
  }

  const toggle = useCallback((key: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const expand = useCallback(
    (keys: readonly string[]) => {
      setExpanded((prev) => {
        const next = new Set(prev);
        for (const k of keys) if (childCountOf(levelIndex, k) > 0) next.add(k);
        return next;
      });
    },
    [levelIndex],
  );
  const loadMore = useCallback((parent: string) => {
    setLimits((prev) => new Map(prev).set(parent, Math.min((prev.get(parent) ?? LEVEL_PAGE_SIZE) + LEVEL_PAGE_SIZE, MAX_LEVEL_LIMIT)));
  }, []);

  const counts = levels.get(ROOT)?.counts;
  const registryCount = counts?.total ?? 0;
  // what "Expand all" opens: every row shown that has children (a hierarchy not loaded whole: a batch at a time)
  function expandAll() {
    if (searching) return;
    const closed = rows.filter((r) => r.kind === 'node' && r.hasChildren && !r.expanded).map((r) => r.key);
    const batch = complete ? closed : closed.slice(0, EXPAND_STEP);
    expand(batch);
    setExpandNote(
      complete
        ? null
        : `Opened ${batch.length} ${batch.length === 1 ? 'registry' : 'registries'} of those shown. ${registryCount.toLocaleString('en')} registries are too many to open at once: each click opens the next ${EXPAND_STEP}, or search by name.`,
    );
  }

  const selectedNode = selected && selected !== ROOT ? (index.byName.get(selected) ?? levelIndex.byName.get(selected)) : undefined;
  const stats = {
    total: registryCount,
    Online: counts?.online ?? 0,
    Syncing: counts?.syncing ?? 0,
    Unhealthy: counts?.unhealthy ?? 0,
    Offline: counts?.offline ?? 0,
    disabled: counts?.disabled ?? 0,
  };
  const hierarchy = top;
  // data older than its staleTime when the page hydrates is refetched at once: the server's HTML
  // showed no refetch, so the indicator waits for hydration to end
  const refetching = useHydrated() && hierarchy.isFetching;

  if (!levels.has(ROOT)) {
    return (
      <p
        role="status"
        className="rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 p-6 text-sm text-slate-600 dark:text-slate-400"
      >
        {hierarchy.error ? `The hierarchy could not be loaded: ${hierarchy.error.message}` : 'Loading the hierarchy…'}
      </p>
    );
  }

  const updated = hierarchy.dataUpdatedAt ? new Date(hierarchy.dataUpdatedAt).toISOString().slice(11, 19) : null;

  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
      <section
        aria-label="Hierarchy tree"
        className="min-w-0 rounded-lg border border-slate-200 dark:border-slate-800 bg-white dark:bg-slate-900 shadow-sm"
      >
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 dark:border-slate-800 px-4 py-3">
          <div className="relative min-w-56 flex-1">
            <Search
              size={15}
              aria-hidden
              className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-slate-400 dark:text-slate-500"
            />
            <input
              type="search"
              role="searchbox"
              aria-label="Search registries"
              aria-controls="hierarchy-tree-scroller"
              placeholder="Search by name…"
              maxLength={50}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setQuery('');
                // ArrowDown goes on into the tree, to its one tab stop
                if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  document.querySelector<HTMLElement>('#hierarchy-tree-scroller [role=treeitem][tabindex="0"]')?.focus();
                }
              }}
              className="block w-full rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 py-1.5 pl-8 pr-3 text-sm shadow-sm placeholder:text-slate-400 dark:placeholder:text-slate-500"
            />
          </div>
          <button
            type="button"
            onClick={expandAll}
            // a search's matches are a list: nothing to open
            disabled={searching}
            title={
              complete ? undefined : `Opens the registries shown, ${EXPAND_STEP} at a time: the whole hierarchy is too big to open at once`
            }
            className={toolButton}
          >
            <ChevronsUpDown size={15} aria-hidden /> Expand all
          </button>
          <button
            type="button"
            onClick={() => {
              setQuery('');
              setExpanded(new Set([ROOT]));
              setExpandNote(null);
              setTreeGeneration((g) => g + 1);
            }}
            className={toolButton}
          >
            <ChevronsDownUp size={15} aria-hidden /> Collapse all
          </button>
          <p className="ml-auto flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400" aria-live="off">
            <span className="relative flex size-2" aria-hidden>
              {refetching && <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" />}
              <span className="relative inline-flex size-2 rounded-full bg-emerald-500" />
            </span>
            Live{updated ? ` · updated ${updated} UTC` : ''}
            <button
              type="button"
              onClick={() => void queryClient.invalidateQueries({ queryKey: registryKeys.hierarchy(cloud.name) })}
              aria-label="Refresh now"
              className="rounded p-1 text-slate-500 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800 hover:text-slate-800 dark:hover:text-slate-200"
            >
              <RefreshCw size={13} className={refetching ? 'animate-spin' : undefined} />
            </button>
          </p>
        </div>
        <p className="flex flex-wrap gap-x-4 gap-y-1 border-b border-slate-100 dark:border-slate-800 px-4 py-2 text-xs text-slate-600 dark:text-slate-400">
          <span>
            <strong className="font-semibold text-slate-900 dark:text-slate-100 tabular-nums">{stats.total.toLocaleString('en')}</strong>{' '}
            connected {stats.total === 1 ? 'registry' : 'registries'}
          </span>
          <span className="text-emerald-700 dark:text-emerald-400">{stats.Online.toLocaleString('en')} online</span>
          <span className="text-sky-700 dark:text-sky-400">{stats.Syncing.toLocaleString('en')} syncing</span>
          <span className="text-red-700 dark:text-red-400">{stats.Unhealthy.toLocaleString('en')} unhealthy</span>
          <span>{stats.Offline.toLocaleString('en')} offline</span>
          {stats.disabled > 0 && <span className="text-red-700 dark:text-red-400">{stats.disabled.toLocaleString('en')} disabled</span>}
        </p>
        {hierarchy.error && (
          <p className="border-b border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950/40 px-4 py-2 text-xs text-amber-800 dark:text-amber-200">
            Live status paused: {hierarchy.error.message} Showing what was last loaded.
          </p>
        )}
        <div id="hierarchy-tree-scroller" className="relative max-h-[calc(100vh-17rem)] min-h-64 overflow-auto p-2">
          <p
            role="status"
            data-testid="tree-search-count"
            className={searchView ? 'mb-2 px-1.5 text-xs text-slate-600 dark:text-slate-400' : 'sr-only'}
          >
            {searchView ? searchCount(searchView) : q && search.isFetching ? 'Searching…' : ''}
          </p>
          {searchView && searchView.total > searchView.matches.size && (
            <p className="mb-2 rounded-md bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-xs text-amber-800 dark:text-amber-200">
              Showing the first {searchView.matches.size} of {searchView.total.toLocaleString('en')}
              {searchView.totalCapped ? '+' : ''} matches. Type more of the name to narrow it down.
            </p>
          )}
          {search.error && q && (
            <p className="mb-2 px-1.5 text-xs text-red-700 dark:text-red-400">The search failed: {search.error.message}</p>
          )}
          {expandNote && !searching && <p className="mb-2 px-1.5 text-xs text-slate-600 dark:text-slate-400">{expandNote}</p>}
          <HierarchyTree
            key={`${cloud.name}-${treeGeneration}`}
            index={index}
            rows={rows}
            paths={paths}
            query={shownQuery}
            selected={selected}
            onSelect={select}
            onToggle={toggle}
            onExpand={expand}
            onLoadMore={loadMore}
            initialFocus={treeGeneration === 0 ? initialNode : null}
          />
          {searchView && searchView.total === 0 && (
            <p className="px-2 py-6 text-center text-sm text-slate-600 dark:text-slate-400">
              No registry name contains “{searchView.query}”.
            </p>
          )}
        </div>
        <p className="border-t border-slate-100 dark:border-slate-800 px-4 py-2 text-xs text-slate-500 dark:text-slate-400">
          Keyboard: ↑ ↓ move · → expand · ← collapse or go to the parent · Home / End · Enter shows the details · * expands siblings
        </p>
      </section>
      <div className="xl:sticky xl:top-8 xl:self-start">
        {selected !== null ? (
          <HierarchyDetailsPanel
            cloud={cloud}
            node={selectedNode}
            registryCount={registryCount}
            topLevelCount={childCountOf(levelIndex, ROOT)}
            selected={selected}
            canEdit={canEdit}
            canopyUrl={canopyUrl}
            onClose={() => select(null)}
          />
        ) : (
          <div className="rounded-lg border border-dashed border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-4 py-10 text-center text-sm text-slate-600 dark:text-slate-400">
            Select a registry in the tree (click it, or press Enter) to see its properties and quick actions.
          </div>
        )}
      </div>
    </div>
  );
}

/** "N registries match “q”", the count capped ("1,000+"). */
function searchCount(view: SearchView): string {
  if (!view.total) return 'No registry matches';
  const count = `${view.total.toLocaleString('en')}${view.totalCapped ? '+' : ''}`;
  return `${count} ${view.total === 1 ? 'registry matches' : 'registries match'} “${view.query}”`;
}

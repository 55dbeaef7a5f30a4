'use client';
import { useQuery } from '@tanstack/react-query';
import { ChevronsDownUp, RefreshCw, Search } from 'lucide-react';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { fetchHierarchy, registryKeys } from '@/lib/registries/client-queries';
import { buildHierarchyIndex } from '@/lib/registries/tree-model';
import { HierarchyDetailsPanel } from './hierarchy-details-panel';
import { useHydrated } from '@/components/ui/use-hydrated';
import { HierarchyTree } from './hierarchy-tree';

type CloudInfo = { name: string; loginServer: string; dataEndpoint: string; region: string };

/** How often the tree asks for fresh status while the page is visible. */
const POLL_MS = 10_000;

/** The Hierarchy page's client side: live tree data, the search box, the tree and the details. */
export function HierarchyExplorer({
  cloud,
  canEdit,
  canopyUrl,
  initialNode,
}: {
  cloud: CloudInfo;
  canEdit: boolean;
  /** where Canopy is reached (its public URL), for the edge's deploy command */
  canopyUrl: string;
  /** the node `?node=` names ('' for the cloud registry) */
  initialNode?: string | null;
}) {
  const hierarchy = useQuery({
    queryKey: registryKeys.hierarchy(cloud.name),
    queryFn: ({ signal }) => fetchHierarchy(cloud.name, signal),
    refetchInterval: POLL_MS,
  });
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
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
  // remounting the tree resets what is expanded: "collapse all"
  const [treeGeneration, setTreeGeneration] = useState(0);

  // data older than its staleTime when the page hydrates is refetched at once: the server's HTML
  // showed no refetch, so the indicator waits for hydration to end
  const refetching = useHydrated() && hierarchy.isFetching;
  const tree = hierarchy.data;
  const index = useMemo(() => (tree ? buildHierarchyIndex(tree) : null), [tree]);
  const stats = useMemo(() => {
    const s = { total: 0, Online: 0, Syncing: 0, Unhealthy: 0, Offline: 0, disabled: 0 };
    for (const n of tree?.nodes ?? []) {
      s.total += 1;
      s[n.connectionState] += 1;
      if (n.disabled) s.disabled += 1;
    }
    return s;
  }, [tree]);

  if (!index) {
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
            onClick={() => {
              setQuery('');
              setTreeGeneration((g) => g + 1);
            }}
            className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-600 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800"
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
              onClick={() => void hierarchy.refetch()}
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
          <span className="text-emerald-700 dark:text-emerald-400">{stats.Online} online</span>
          <span className="text-sky-700 dark:text-sky-400">{stats.Syncing} syncing</span>
          <span className="text-red-700 dark:text-red-400">{stats.Unhealthy} unhealthy</span>
          <span>{stats.Offline} offline</span>
          {stats.disabled > 0 && <span className="text-red-700 dark:text-red-400">{stats.disabled} disabled</span>}
        </p>
        {hierarchy.error && (
          <p className="border-b border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950/40 px-4 py-2 text-xs text-amber-800 dark:text-amber-200">
            Live status paused: {hierarchy.error.message} Showing what was last loaded.
          </p>
        )}
        <div id="hierarchy-tree-scroller" className="relative max-h-[calc(100vh-17rem)] min-h-64 overflow-auto p-2">
          <HierarchyTree
            key={`${cloud.name}-${treeGeneration}`}
            index={index}
            query={deferredQuery}
            selected={selected}
            onSelect={select}
            initialFocus={treeGeneration === 0 ? initialNode : null}
            collapsed={treeGeneration > 0}
          />
        </div>
        <p className="border-t border-slate-100 dark:border-slate-800 px-4 py-2 text-xs text-slate-500 dark:text-slate-400">
          Keyboard: ↑ ↓ move · → expand · ← collapse or go to the parent · Home / End · Enter shows the details · * expands siblings
        </p>
      </section>
      <div className="xl:sticky xl:top-8 xl:self-start">
        {selected !== null ? (
          <HierarchyDetailsPanel
            cloud={cloud}
            index={index}
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

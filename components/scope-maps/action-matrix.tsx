'use client';
// A scope map's actions as two matrices: repositories × the 5 repository actions, and
// connected registries × the 4 gateway actions. Controlled: `value` is the list of action
// strings; the grammar (lib/scope-maps/grammar) builds and reads them.
import { Check, Plus, X } from 'lucide-react';
import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import {
  GATEWAY_ACTIONS,
  MAX_REPOSITORY_PERMISSIONS,
  REPOSITORY_ACTIONS,
  gatewayAction,
  isRepositoryPattern,
  parseAction,
  repositoryAction,
  type RepositoryAction,
} from '@/lib/scope-maps/grammar';

export type RegistryOption = { name: string; mode: 'ReadWrite' | 'ReadOnly' };

const PULL: RepositoryAction[] = ['content/read', 'metadata/read'];

function grouped(actions: string[]) {
  const repositories = new Map<string, Set<string>>();
  const gateways = new Map<string, Set<string>>();
  for (const a of actions) {
    const parsed = parseAction(a);
    if ('error' in parsed) continue;
    if (parsed.kind === 'repository') {
      if (!repositories.has(parsed.repository)) repositories.set(parsed.repository, new Set());
      repositories.get(parsed.repository)!.add(parsed.action);
    } else {
      if (!gateways.has(parsed.registry)) gateways.set(parsed.registry, new Set());
      gateways.get(parsed.registry)!.add(parsed.action);
    }
  }
  return { repositories, gateways };
}

/** Keys in first-seen order: rows the user added stay where they appeared. */
function rowsOf(pinned: string[], present: Iterable<string>): string[] {
  const rows = [...pinned];
  for (const key of [...present].sort()) if (!rows.includes(key)) rows.push(key);
  return rows;
}

function Granted({ on, label }: { on: boolean; label: string }) {
  return on ? (
    <span className="inline-flex size-5 items-center justify-center rounded bg-brand-50 text-brand-700" title={label}>
      <Check size={14} aria-hidden />
      <span className="sr-only">{label}: granted</span>
    </span>
  ) : (
    <span className="inline-block size-5 text-slate-300">
      <span aria-hidden>·</span>
      <span className="sr-only">{label}: not granted</span>
    </span>
  );
}

const cell = 'px-2 py-2 text-center';
const headCell = 'px-2 py-1.5 text-center text-[11px] font-semibold uppercase tracking-wide text-slate-600';

/** Whether `actions[i]` starts a group (content/…, metadata/…; config/…, message/…): a border sets the groups apart. */
const startsGroup = (actions: readonly string[], i: number) => i === 0 || actions[i - 1].split('/')[0] !== actions[i].split('/')[0];

/** The two header rows of a matrix: the row header and the action groups, then each action. */
function MatrixHead({ rowHeader, actions, readOnly }: { rowHeader: string; actions: readonly string[]; readOnly: boolean }) {
  const groups = [...new Set(actions.map((a) => a.split('/')[0]))];
  return (
    <thead className="bg-slate-50">
      <tr className="border-b border-slate-200">
        <th scope="col" rowSpan={2} className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          {rowHeader}
        </th>
        {groups.map((group) => (
          <th
            key={group}
            scope="colgroup"
            colSpan={actions.filter((a) => a.startsWith(`${group}/`)).length}
            className="border-l border-slate-200 px-2 pt-1.5 text-center text-xs font-semibold text-slate-700"
          >
            {group}
          </th>
        ))}
        {!readOnly && <th rowSpan={2} className="w-10" aria-label="Remove" />}
      </tr>
      <tr className="border-b border-slate-200">
        {actions.map((a, i) => (
          <th key={a} scope="col" className={`${headCell} ${startsGroup(actions, i) ? 'border-l border-slate-200' : ''}`} title={a}>
            {a.split('/')[1]}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** The row that stands in for a matrix with no rows, across all its columns. */
function EmptyRow({ actions, readOnly, children }: { actions: readonly string[]; readOnly: boolean; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={actions.length + (readOnly ? 1 : 2)} className="px-3 py-4 text-center text-sm text-slate-500">
        {children}
      </td>
    </tr>
  );
}

/** A row's cells after its header: one per action (a checkbox, or a mark when read-only), then its remove button. */
function ActionCells<A extends string>({
  name,
  actions,
  granted,
  readOnly,
  onToggle,
  onRemove,
}: {
  /** the row's name, in the cells' labels */
  name: string;
  actions: readonly A[];
  granted: Set<string>;
  readOnly: boolean;
  onToggle: (action: A, on: boolean) => void;
  onRemove: () => void;
}) {
  return (
    <>
      {actions.map((a, i) => {
        const label = `${name} ${a}`;
        return (
          <td key={a} className={`${cell} ${startsGroup(actions, i) ? 'border-l border-slate-100' : ''}`}>
            {readOnly ? (
              <Granted on={granted.has(a)} label={label} />
            ) : (
              <input type="checkbox" aria-label={label} checked={granted.has(a)} onChange={(e) => onToggle(a, e.target.checked)} className="size-4 accent-brand-600" />
            )}
          </td>
        );
      })}
      {!readOnly && (
        <td className="px-2 py-1 text-center">
          <button type="button" onClick={onRemove} aria-label={`Remove ${name}`} className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700">
            <X size={15} aria-hidden />
          </button>
        </td>
      )}
    </>
  );
}

export function ActionMatrix({
  value,
  onChange,
  connectedRegistries,
  readOnly = false,
  errors,
}: {
  value: string[];
  onChange?: (actions: string[]) => void;
  connectedRegistries: RegistryOption[];
  readOnly?: boolean;
  errors?: string[];
}) {
  const ids = useId();
  const { repositories, gateways } = grouped(value);
  // rows stay (and stay in place) while their boxes are all unchecked, until removed
  const [pinnedRepositories, setPinnedRepositories] = useState<string[]>(() => [...repositories.keys()].sort());
  const [pinnedGateways, setPinnedGateways] = useState<string[]>(() => [...gateways.keys()].sort());
  const [newRepository, setNewRepository] = useState('');
  const [repositoryError, setRepositoryError] = useState<string>();
  const [newGateway, setNewGateway] = useState('');

  const repositoryRows = rowsOf(pinnedRepositories, repositories.keys());
  const gatewayRows = rowsOf(pinnedGateways, gateways.keys());
  const repositoryPermissions = [...repositories.values()].reduce((n, s) => n + s.size, 0);
  const availableGateways = connectedRegistries.filter((r) => !gatewayRows.includes(r.name.toLowerCase()));
  const registryLabel = (key: string) => connectedRegistries.find((r) => r.name.toLowerCase() === key)?.name ?? key;
  const registryMode = (key: string) => connectedRegistries.find((r) => r.name.toLowerCase() === key)?.mode;

  function set(action: string, on: boolean) {
    const without = value.filter((a) => a !== action);
    onChange?.(on ? [...without, action] : without);
  }

  function removeRepository(repo: string) {
    onChange?.(value.filter((a) => parseActionRepo(a) !== repo));
    setPinnedRepositories((rows) => rows.filter((r) => r !== repo));
  }

  function removeGateway(key: string) {
    onChange?.(value.filter((a) => !a.startsWith(`gateway/${key}/`)));
    setPinnedGateways((rows) => rows.filter((r) => r !== key));
  }

  function addRepository() {
    const repo = newRepository.trim();
    if (!repo) return;
    if (!isRepositoryPattern(repo)) {
      setRepositoryError(`"${repo}" is not a repository name: use lowercase path parts like library/hello-world, end with /* for a namespace, or * for all.`);
      return;
    }
    setRepositoryError(undefined);
    setNewRepository('');
    if (repositoryRows.includes(repo)) return;
    setPinnedRepositories((rows) => [...rows, repo]);
    onChange?.([...value, ...PULL.map((a) => repositoryAction(repo, a))]);
  }

  function addGateway() {
    const chosen = connectedRegistries.find((r) => r.name === newGateway) ?? availableGateways[0];
    if (!chosen) return;
    const key = chosen.name.toLowerCase();
    setPinnedGateways((rows) => (rows.includes(key) ? rows : [...rows, key]));
    setNewGateway('');
  }

  function onRepositoryKey(e: KeyboardEvent<HTMLInputElement>) {
    // Enter adds the row; it must not submit a surrounding form
    if (e.key === 'Enter') {
      e.preventDefault();
      addRepository();
    }
  }

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${ids}-repos`}>
        <div className="mb-2 flex items-baseline justify-between gap-4">
          <h3 id={`${ids}-repos`} className="text-sm font-semibold text-slate-900">
            Repository permissions
          </h3>
          <p className={repositoryPermissions > MAX_REPOSITORY_PERMISSIONS ? 'text-xs font-medium text-red-700' : 'text-xs text-slate-500'}>
            {repositoryPermissions} of at most {MAX_REPOSITORY_PERMISSIONS}
          </p>
        </div>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="repository-matrix">
            <caption className="sr-only">Repositories and the actions granted on them</caption>
            <MatrixHead rowHeader="Repository" actions={REPOSITORY_ACTIONS} readOnly={readOnly} />
            <tbody className="divide-y divide-slate-100">
              {repositoryRows.length === 0 && (
                <EmptyRow actions={REPOSITORY_ACTIONS} readOnly={readOnly}>
                  No repository permissions{readOnly ? '.' : ' yet. Add a repository below.'}
                </EmptyRow>
              )}
              {repositoryRows.map((repo) => {
                const granted = repositories.get(repo) ?? new Set<string>();
                return (
                  <tr key={repo} data-testid="repository-row" data-repository={repo} className="hover:bg-slate-50/60">
                    <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-medium text-slate-800">
                      {repo === '*' ? (
                        <>
                          * <span className="font-sans font-normal text-slate-500">(every repository)</span>
                        </>
                      ) : (
                        repo
                      )}
                    </th>
                    <ActionCells
                      name={repo}
                      actions={REPOSITORY_ACTIONS}
                      granted={granted}
                      readOnly={readOnly}
                      onToggle={(a, on) => set(repositoryAction(repo, a), on)}
                      onRemove={() => removeRepository(repo)}
                    />
                  </tr>
                );
              })}
            </tbody>
            {!readOnly && (
              <tfoot className="border-t border-slate-200 bg-slate-50/60">
                <tr>
                  <td colSpan={7} className="px-3 py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <label htmlFor={`${ids}-new-repo`} className="sr-only">
                        Repository to add
                      </label>
                      <input
                        id={`${ids}-new-repo`}
                        value={newRepository}
                        onChange={(e) => {
                          setNewRepository(e.target.value);
                          setRepositoryError(undefined);
                        }}
                        onKeyDown={onRepositoryKey}
                        placeholder="library/hello-world, samples/*, or *"
                        aria-invalid={repositoryError ? true : undefined}
                        aria-describedby={`${ids}-new-repo-error`}
                        className="w-72 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-xs shadow-sm"
                      />
                      <Button variant="secondary" size="sm" onClick={addRepository} disabled={!newRepository.trim()}>
                        <Plus size={14} aria-hidden /> Add repository
                      </Button>
                      <span className="text-xs text-slate-500">New rows start with pull (content/read, metadata/read).</span>
                    </div>
                    <p id={`${ids}-new-repo-error`} aria-live="polite" className="mt-1 text-xs text-red-600">
                      {repositoryError}
                    </p>
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      </section>

      <section aria-labelledby={`${ids}-gateway`}>
        <div className="mb-2">
          <h3 id={`${ids}-gateway`} className="text-sm font-semibold text-slate-900">
            Gateway actions
          </h3>
          <p className="text-xs text-slate-500">What a token may do at a connected registry’s gateway: read or write its configuration and sync messages.</p>
        </div>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="gateway-matrix">
            <caption className="sr-only">Connected registries and the gateway actions granted on them</caption>
            <MatrixHead rowHeader="Connected registry" actions={GATEWAY_ACTIONS} readOnly={readOnly} />
            <tbody className="divide-y divide-slate-100">
              {gatewayRows.length === 0 && (
                <EmptyRow actions={GATEWAY_ACTIONS} readOnly={readOnly}>
                  No gateway actions{readOnly ? '.' : connectedRegistries.length ? '. Choose a connected registry below to grant some.' : ': this cloud registry has no connected registries yet.'}
                </EmptyRow>
              )}
              {gatewayRows.map((key) => {
                const granted = gateways.get(key) ?? new Set<string>();
                const name = registryLabel(key);
                const mode = registryMode(key);
                return (
                  <tr key={key} data-testid="gateway-row" data-registry={name} className="hover:bg-slate-50/60">
                    <th scope="row" className="px-3 py-2 text-left text-sm font-medium text-slate-800">
                      {name}
                      {mode && <span className="ml-2 text-xs font-normal text-slate-500">{mode}</span>}
                      {!mode && <span className="ml-2 text-xs font-normal text-amber-700">(no such registry)</span>}
                    </th>
                    <ActionCells
                      name={name}
                      actions={GATEWAY_ACTIONS}
                      granted={granted}
                      readOnly={readOnly}
                      onToggle={(a, on) => set(gatewayAction(key, a), on)}
                      onRemove={() => removeGateway(key)}
                    />
                  </tr>
                );
              })}
            </tbody>
            {!readOnly && availableGateways.length > 0 && (
              <tfoot className="border-t border-slate-200 bg-slate-50/60">
                <tr>
                  <td colSpan={6} className="px-3 py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      <label htmlFor={`${ids}-new-gateway`} className="sr-only">
                        Connected registry to add
                      </label>
                      <select
                        id={`${ids}-new-gateway`}
                        value={newGateway || availableGateways[0]?.name}
                        onChange={(e) => setNewGateway(e.target.value)}
                        className="w-72 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm"
                      >
                        {availableGateways.map((r) => (
                          <option key={r.name} value={r.name}>
                            {r.name} ({r.mode})
                          </option>
                        ))}
                      </select>
                      <Button variant="secondary" size="sm" onClick={addGateway}>
                        <Plus size={14} aria-hidden /> Add registry
                      </Button>
                    </div>
                  </td>
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      </section>
      {errors?.length ? (
        <div aria-live="polite">
          {errors.map((e) => (
            <p key={e} className="text-sm text-red-600">
              {e}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function parseActionRepo(action: string): string | null {
  const parsed = parseAction(action);
  return 'error' in parsed || parsed.kind !== 'repository' ? null : parsed.repository;
}

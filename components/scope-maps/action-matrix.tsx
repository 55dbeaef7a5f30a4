'use client';
// A scope map's actions as two permission matrices: repositories × the 5 repository actions, and
// connected registries × the 4 gateway actions, each with a row to add. Controlled: `value` is
// the list of action strings; lib/scope-maps/permission-matrix reads and edits it.
import { Plus } from 'lucide-react';
import { useId, useState, type KeyboardEvent } from 'react';
import { Button } from '@/components/ui/button';
import { MAX_REPOSITORY_PERMISSIONS } from '@/lib/scope-maps/grammar';
import {
  addRepositoryRow,
  grantsByRow,
  matrixActions,
  removeRow,
  repositoryPermissionCount,
  rowKeys,
  setCell,
  type MatrixKind,
} from '@/lib/scope-maps/permission-matrix';
import { PermissionMatrix, type MatrixRow } from './permission-matrix';

export type RegistryOption = { name: string; mode: 'ReadWrite' | 'ReadOnly' };

const inputClass = 'w-72 rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-2.5 py-1.5 shadow-sm';

export function ActionMatrix({
  value,
  onChange,
  connectedRegistries,
  readOnly = false,
  gatewayLocked,
  errors,
}: {
  value: string[];
  onChange?: (actions: string[]) => void;
  connectedRegistries: RegistryOption[];
  readOnly?: boolean;
  /** when set, the gateway actions are shown but not editable, and this says why */
  gatewayLocked?: string;
  errors?: string[];
}) {
  const ids = useId();
  const repositories = grantsByRow('repository', value);
  const gateways = grantsByRow('gateway', value);
  // rows stay (and stay in place) while their boxes are all unchecked, until removed
  const [pinned, setPinned] = useState<Record<MatrixKind, string[]>>(() => ({
    repository: [...repositories.keys()].sort(),
    gateway: [...gateways.keys()].sort(),
  }));
  const [newRepository, setNewRepository] = useState('');
  const [repositoryError, setRepositoryError] = useState<string>();
  const [newGateway, setNewGateway] = useState('');

  const repositoryRows = rowKeys(pinned.repository, repositories.keys());
  const gatewayRows = rowKeys(pinned.gateway, gateways.keys());
  const permissions = repositoryPermissionCount(value);
  const availableGateways = connectedRegistries.filter((r) => !gatewayRows.includes(r.name.toLowerCase()));
  const registryOf = (key: string) => connectedRegistries.find((r) => r.name.toLowerCase() === key);
  const gatewayReadOnly = readOnly || gatewayLocked !== undefined;

  const pin = (kind: MatrixKind, row: string) => setPinned((p) => (p[kind].includes(row) ? p : { ...p, [kind]: [...p[kind], row] }));
  const handlers = (kind: MatrixKind) => ({
    onToggle: (row: string, action: string, on: boolean) => onChange?.(setCell(value, kind, row, action, on)),
    onRemove: (row: string) => {
      onChange?.(removeRow(value, kind, row));
      setPinned((p) => ({ ...p, [kind]: p[kind].filter((r) => r !== row) }));
    },
  });

  function addRepository() {
    if (!newRepository.trim()) return;
    const result = addRepositoryRow(value, newRepository);
    if ('error' in result) {
      setRepositoryError(result.error);
      return;
    }
    setRepositoryError(undefined);
    setNewRepository('');
    pin('repository', newRepository.trim());
    if (result.value !== value) onChange?.(result.value);
  }

  function addGateway() {
    const chosen = connectedRegistries.find((r) => r.name === newGateway) ?? availableGateways[0];
    if (!chosen) return;
    pin('gateway', chosen.name.toLowerCase());
    setNewGateway('');
  }

  function onRepositoryKey(e: KeyboardEvent<HTMLInputElement>) {
    // Enter adds the row; it must not submit a surrounding form
    if (e.key === 'Enter') {
      e.preventDefault();
      addRepository();
    }
  }

  const repositoryMatrixRows: MatrixRow[] = repositoryRows.map((repo) => ({
    key: repo,
    name: repo,
    granted: repositories.get(repo) ?? new Set(),
    data: { 'data-repository': repo },
    label: (
      <span className="font-mono text-xs">
        {repo}
        {repo === '*' && <span className="font-sans font-normal text-slate-500 dark:text-slate-400"> (every repository)</span>}
      </span>
    ),
  }));
  const gatewayMatrixRows: MatrixRow[] = gatewayRows.map((key) => {
    const registry = registryOf(key);
    const name = registry?.name ?? key;
    return {
      key,
      name,
      granted: gateways.get(key) ?? new Set(),
      data: { 'data-registry': name },
      label: (
        <>
          {name}
          {registry ? (
            <span className="ml-2 text-xs font-normal text-slate-500 dark:text-slate-400">{registry.mode}</span>
          ) : (
            <span className="ml-2 text-xs font-normal text-amber-700 dark:text-amber-300">(no such registry)</span>
          )}
        </>
      ),
    };
  });

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${ids}-repos`}>
        <div className="mb-2 flex items-baseline justify-between gap-4">
          <h3 id={`${ids}-repos`} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
            Repository permissions
          </h3>
          <p
            className={
              permissions > MAX_REPOSITORY_PERMISSIONS
                ? 'text-xs font-medium text-red-700 dark:text-red-400'
                : 'text-xs text-slate-500 dark:text-slate-400'
            }
          >
            {permissions} of at most {MAX_REPOSITORY_PERMISSIONS}
          </p>
        </div>
        <PermissionMatrix
          caption="Repositories and the actions granted on them"
          rowHeader="Repository"
          actions={matrixActions('repository')}
          rows={repositoryMatrixRows}
          readOnly={readOnly}
          {...handlers('repository')}
          empty={`No repository permissions${readOnly ? '.' : ' yet. Add a repository below.'}`}
          testId="repository-matrix"
          rowTestId="repository-row"
          footer={
            !readOnly && (
              <>
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
                    className={`${inputClass} font-mono text-xs`}
                  />
                  <Button variant="secondary" size="sm" onClick={addRepository} disabled={!newRepository.trim()}>
                    <Plus size={14} aria-hidden /> Add repository
                  </Button>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    New rows start with pull (content/read, metadata/read).
                  </span>
                </div>
                <p id={`${ids}-new-repo-error`} aria-live="polite" className="mt-1 text-xs text-red-600 dark:text-red-400">
                  {repositoryError}
                </p>
              </>
            )
          }
        />
      </section>

      <section aria-labelledby={`${ids}-gateway`}>
        <div className="mb-2">
          <h3 id={`${ids}-gateway`} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
            Gateway actions
          </h3>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {gatewayLocked ?? 'What a token may do at a connected registry’s gateway: read or write its configuration and sync messages.'}
          </p>
        </div>
        {/* the same table as the repositories' above: its props repeat in shape, not its code */}
        <PermissionMatrix
          caption="Connected registries and the gateway actions granted on them"
          rowHeader="Connected registry"
          actions={matrixActions('gateway')}
          rows={gatewayMatrixRows}
          readOnly={gatewayReadOnly}
          {...handlers('gateway')}
          empty={
            gatewayReadOnly
              ? 'No gateway actions.'
              : connectedRegistries.length
                ? 'No gateway actions. Choose a connected registry below to grant some.'
                : 'No gateway actions: this cloud registry has no connected registries yet.'
          }
          testId="gateway-matrix"
          rowTestId="gateway-row"
          footer={
            !gatewayReadOnly &&
            availableGateways.length > 0 && (
              <div className="flex flex-wrap items-center gap-2">
                <label htmlFor={`${ids}-new-gateway`} className="sr-only">
                  Connected registry to add
                </label>
                <select
                  id={`${ids}-new-gateway`}
                  value={newGateway || availableGateways[0]?.name}
                  onChange={(e) => setNewGateway(e.target.value)}
                  className={`${inputClass} text-sm`}
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
            )
          }
        />
      </section>
      {errors?.length ? (
        <div aria-live="polite">
          {errors.map((e) => (
            <p key={e} className="text-sm text-red-600 dark:text-red-400">
              {e}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

'use client';
import { useQueryClient } from '@tanstack/react-query';
import { updateRepositoriesAction } from '@/lib/registries/actions';
import { registryKeys } from '@/lib/registries/client-queries';
import { listIssues } from '@/lib/registries/form-checks';
import { permissionsInput } from '@/lib/registries/schemas';
import { StringListEditor } from './string-list-editor';

const repository = permissionsInput.shape.add.unwrap().element;

/**
 * The repositories added to this registry (its own), and those it syncs only because a
 * registry below it needs them. Adding reaches every ancestor; removing reaches every descendant.
 */
export function RepositoriesEditor({
  registry,
  name,
  own,
  forDescendants,
  hasDescendants,
  canEdit,
}: {
  registry: string;
  name: string;
  own: string[];
  forDescendants: string[];
  hasDescendants: boolean;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const change = async (add: string[], remove: string[]) => {
    const result = await updateRepositoriesAction(registry, name, { add, remove });
    if (result.ok) await queryClient.invalidateQueries({ queryKey: registryKeys.registry(registry) });
    return result;
  };
  return (
    <div className="space-y-5">
      <StringListEditor
        name="addRepositories"
        label="Repositories"
        items={own}
        placeholder="library/hello-world, acme/web-api"
        emptyText={`No repositories of its own: ${name} syncs only what registries below it need.`}
        hint="Several at once: separate them with commas. Every registry above it syncs them too."
        check={(values) => listIssues(repository, values)}
        onAdd={(add) => change(add, [])}
        onRemove={(repo) => change([], [repo])}
        confirmRemove={(repo) => (
          <p>
            {name} stops syncing <code className="font-mono">{repo}</code>
            {hasDescendants ? ', and so does every registry below it' : ''}. Registries above it keep it only if another of their
            descendants still syncs it.
          </p>
        )}
        addField="add"
        canEdit={canEdit}
      />
      {forDescendants.length > 0 && (
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            Synced for registries below it
          </h3>
          <p className="mb-2 mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            Its sync scope map includes these because a descendant syncs them; change them there.
          </p>
          <ul className="flex flex-wrap gap-2" aria-label="Repositories synced for descendants">
            {forDescendants.map((r) => (
              <li
                key={r}
                className="rounded-md border border-dashed border-slate-300 dark:border-slate-700 px-2.5 py-1 font-mono text-xs text-slate-600 dark:text-slate-400"
              >
                {r}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

'use client';
// The new-registry form's parent in a big hierarchy: typed, with the connected registries whose
// names contain what is typed offered as it is typed (GET R/hierarchy/search, the trigram index),
// instead of a list of thousands. Empty means directly under the cloud registry.
import { useQuery } from '@tanstack/react-query';
import { TextField } from '@/components/ui/field';
import { useDebouncedValue } from '@/components/ui/use-debounced-value';
import { getJson, registryKeys } from '@/lib/registries/client-queries';
import type { HierarchySearch } from '@/lib/registries/hierarchy-schemas';

type Mode = 'ReadWrite' | 'ReadOnly';
const SUGGESTIONS = 20;

/** The matches of a search (not the registries on the path to them), with their modes. */
function matchesOf(search: HierarchySearch | undefined): { name: string; mode: Mode }[] {
  if (!search) return [];
  const matched = new Set(search.matches);
  return search.nodes.filter((n) => matched.has(n.name)).map((n) => ({ name: n.name, mode: n.mode ?? 'ReadWrite' }));
}

export function ParentSearchField({
  registry,
  value,
  onChange,
  errors,
  onFound,
}: {
  registry: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  errors?: string[];
  /** the registries a search brought, with their modes (the form's mode rules need the parent's) */
  onFound: (parents: { name: string; mode: Mode }[]) => void;
}) {
  const q = useDebouncedValue(value);
  const search = useQuery({
    queryKey: [...registryKeys.hierarchy(registry), 'parent-search', q.toLowerCase()],
    // the form learns the modes of the registries found as they arrive
    queryFn: async ({ signal }) => {
      const found = await getJson<HierarchySearch>(
        `/api/v1/registries/${encodeURIComponent(registry)}/hierarchy/search?${new URLSearchParams({ q, limit: String(SUGGESTIONS) })}`,
        signal,
      );
      const matches = matchesOf(found);
      if (matches.length) onFound(matches);
      return found;
    },
    enabled: q !== '',
    staleTime: 10_000,
    // dropped when the field goes: a form opened again asks again (and learns the modes again)
    gcTime: 0,
  });
  const matches = matchesOf(search.data);

  const typed = value.trim().toLowerCase();
  const exact = matches.find((m) => m.name.toLowerCase() === typed);
  let hint: string;
  if (!typed) hint = `Empty: directly under ${registry}. Type part of a name to find a connected registry.`;
  else if (exact) hint = `${exact.name} — ${exact.mode}.`;
  else if (!search.data || search.data.query !== typed) hint = 'Searching…';
  else if (!search.data.total) hint = `No connected registry of ${registry} has “${search.data.query}” in its name.`;
  else
    hint = `${search.data.totalCapped ? `${search.data.total.toLocaleString('en-US')}+` : search.data.total.toLocaleString('en-US')} match: choose one from the list, or type more.`;

  return (
    <>
      <TextField
        label="Parent"
        name="parent"
        value={value}
        onChange={onChange}
        list="parent-suggestions"
        placeholder={`${registry} (the cloud registry)`}
        autoComplete="off"
        spellCheck={false}
        hint={<span role="status">{hint}</span>}
        errors={errors}
      />
      <datalist id="parent-suggestions">
        {matches.map((m) => (
          <option key={m.name} value={m.name}>
            {m.mode}
          </option>
        ))}
      </datalist>
    </>
  );
}

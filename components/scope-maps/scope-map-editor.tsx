'use client';
// Edits a scope map's actions and description. Saving sends only the difference (addActions,
// removeActions) so that concurrent edits of other actions are not overwritten; the service
// refuses a change that would give a ReadOnly registry's client token a write action.
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { updateScopeMapAction } from '@/lib/scope-maps/actions';
import { ActionMatrix, type RegistryOption } from './action-matrix';

export function ScopeMapEditor({
  registry,
  name,
  actions,
  description,
  connectedRegistries,
  gatewayLocked,
}: {
  registry: string;
  name: string;
  actions: string[];
  description: string | null;
  connectedRegistries: RegistryOption[];
  /** set for a sync scope map: its gateway actions are not edited here, and this says why */
  gatewayLocked?: string;
}) {
  const [saved, setSaved] = useState({ actions, description: description ?? '' });
  const [draft, setDraft] = useState(actions);
  const [draftDescription, setDraftDescription] = useState(description ?? '');
  // a new key resets the matrix's own rows after Discard
  const [matrixKey, setMatrixKey] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  const addActions = draft.filter((a) => !saved.actions.includes(a));
  const removeActions = saved.actions.filter((a) => !draft.includes(a));
  const descriptionChanged = draftDescription.trim() !== saved.description;
  const dirty = addActions.length > 0 || removeActions.length > 0 || descriptionChanged;

  function save() {
    setMessage(undefined);
    startTransition(async () => {
      const result = await updateScopeMapAction(registry, name, {
        ...(addActions.length ? { addActions } : {}),
        ...(removeActions.length ? { removeActions } : {}),
        ...(descriptionChanged ? { description: draftDescription.trim() || null } : {}),
      });
      if (result.ok && result.data) {
        setSaved({ actions: result.data.actions, description: result.data.description ?? '' });
        setDraft(result.data.actions);
        setDraftDescription(result.data.description ?? '');
      }
      setMessage({ ok: result.ok, text: result.message ?? '' });
    });
  }

  function discard() {
    setDraft(saved.actions);
    setDraftDescription(saved.description);
    setMatrixKey((k) => k + 1);
    setMessage(undefined);
  }

  return (
    <div className="space-y-5">
      <TextField
        label="Description"
        name="description"
        value={draftDescription}
        onChange={(e) => setDraftDescription(e.target.value)}
        maxLength={256}
        placeholder="What the tokens that use it are for"
        className="max-w-2xl"
      />
      <ActionMatrix
        key={matrixKey}
        value={draft}
        onChange={setDraft}
        connectedRegistries={connectedRegistries}
        gatewayLocked={gatewayLocked}
      />
      <div className="sticky bottom-0 -mx-4 -mb-4 flex flex-wrap items-center gap-3 border-t border-slate-200 dark:border-slate-800 bg-white/95 dark:bg-slate-900/95 px-4 py-3 backdrop-blur">
        <Button onClick={save} disabled={pending || !dirty}>
          {pending ? 'Saving…' : 'Save changes'}
        </Button>
        <Button variant="ghost" onClick={discard} disabled={pending || !dirty}>
          Discard
        </Button>
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {dirty
            ? [
                addActions.length ? `${addActions.length} to add` : null,
                removeActions.length ? `${removeActions.length} to remove` : null,
                descriptionChanged ? 'description changed' : null,
              ]
                .filter(Boolean)
                .join(', ')
            : 'No unsaved changes.'}
        </p>
      </div>
      <FormMessage ok={message?.ok} message={message?.text} />
    </div>
  );
}

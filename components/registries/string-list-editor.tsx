'use client';
import { Plus, X } from 'lucide-react';
import { useState, useTransition, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TextField } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState } from '@/lib/actions';
import { splitList } from '@/lib/registries/form-checks';

type Props = {
  /** the input's name and id; unique on the page */
  name: string;
  label: string;
  items: string[];
  placeholder: string;
  emptyText: string;
  hint?: string;
  /** live messages for what is typed */
  check: (values: string[]) => string[];
  onAdd: (values: string[]) => Promise<ActionState>;
  onRemove: (value: string) => Promise<ActionState>;
  /** when set, removing asks first with this text */
  confirmRemove?: (value: string) => ReactNode;
  /** the server's field name for errors about adding */
  addField: string;
  canEdit: boolean;
};

/** A list of strings (repositories, notification patterns) with add and remove. */
export function StringListEditor({
  name,
  label,
  items,
  placeholder,
  emptyText,
  hint,
  check,
  onAdd,
  onRemove,
  confirmRemove,
  addField,
  canEdit,
}: Props) {
  const [text, setText] = useState('');
  const [state, setState] = useState<ActionState>({ ok: false });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const values = splitList(text);
  const live = check(values);

  function add() {
    if (!values.length || live.length) return;
    startTransition(async () => {
      const result = await onAdd(values);
      setState(result);
      if (result.ok) setText('');
    });
  }
  function remove(value: string) {
    startTransition(async () => {
      const result = await onRemove(value);
      setState(result);
      setConfirming(null);
    });
  }

  return (
    <div className="space-y-3">
      {items.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{emptyText}</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label={label}>
          {items.map((item) => (
            <li
              key={item}
              className="inline-flex items-center gap-1 rounded-md border border-slate-200 dark:border-slate-800 bg-slate-50 dark:bg-slate-800/60 py-1 pl-2.5 pr-1 font-mono text-xs text-slate-800 dark:text-slate-200"
            >
              {item}
              {canEdit && (
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => (confirmRemove ? setConfirming(item) : remove(item))}
                  aria-label={`Remove ${item}`}
                  className="rounded p-0.5 text-slate-500 dark:text-slate-400 hover:bg-slate-200 dark:hover:bg-slate-700 hover:text-red-700 dark:hover:text-red-400"
                >
                  <X size={13} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          noValidate
          aria-label={`Add to ${label.toLowerCase()}`}
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
          className="flex flex-wrap items-start gap-2"
        >
          <TextField
            label={`Add ${label.toLowerCase()}`}
            name={name}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (state.message) setState({ ok: false });
            }}
            placeholder={placeholder}
            spellCheck={false}
            autoComplete="off"
            hint={hint}
            errors={live.length ? live : state.ok ? undefined : state.fieldErrors?.[addField]}
            className="min-w-64 flex-1"
          />
          <Button type="submit" variant="secondary" className="mt-6" disabled={pending || !values.length || live.length > 0}>
            <Plus size={14} aria-hidden /> Add
          </Button>
        </form>
      )}
      <FormMessage ok={state.ok} message={state.message} />
      {confirmRemove && (
        <Dialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)} title={`Remove ${confirming ?? ''}?`}>
          <div className="space-y-4">
            <div className="text-sm text-slate-700 dark:text-slate-300">{confirming && confirmRemove(confirming)}</div>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setConfirming(null)}>
                Cancel
              </Button>
              <Button variant="danger" disabled={pending} onClick={() => confirming && remove(confirming)}>
                {pending ? 'Removing…' : 'Remove'}
              </Button>
            </div>
          </div>
        </Dialog>
      )}
    </div>
  );
}

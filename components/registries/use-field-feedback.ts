'use client';
import { startTransition, useCallback, useState, type FormEvent } from 'react';
import type { ActionState } from '@/lib/actions';

/**
 * The server's field errors of the last submission, each hidden once the user edits that field,
 * and which fields the user has left (live checks show from then on).
 */
export function useFieldFeedback(state: ActionState<unknown>) {
  const [edited, setEdited] = useState<{ state: ActionState<unknown>; fields: ReadonlySet<string> }>({ state, fields: new Set() });
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const editedFields = edited.state === state ? edited.fields : new Set<string>();

  const serverErrors = (field: string) => (editedFields.has(field) ? undefined : state.fieldErrors?.[field]);
  const markEdited = useCallback(
    (field: string) => setEdited((prev) => ({ state, fields: new Set([...(prev.state === state ? prev.fields : []), field]) })),
    [state],
  );
  const markLeft = useCallback((field: string) => setLeft((prev) => (prev.has(field) ? prev : new Set([...prev, field]))), []);
  return { serverErrors, markEdited, markLeft, hasLeft: (field: string) => left.has(field) };
}

type FieldFeedback = ReturnType<typeof useFieldFeedback>;

/**
 * A form's values, with `set(field)` for a control's onChange (it tells `feedback` the field was
 * edited, then calls `onEdit`) and `leave(field)` for its onBlur.
 */
export function useFieldValues<V extends Record<string, string>>(initial: V, feedback: FieldFeedback, onEdit?: () => void) {
  const [values, setValues] = useState(initial);
  const set = (field: keyof V & string) => (e: { target: { value: string } }) => {
    setValues((prev) => ({ ...prev, [field]: e.target.value }));
    feedback.markEdited(field);
    onEdit?.();
  };
  const leave = (field: keyof V & string) => () => feedback.markLeft(field);
  return { values, setValues, set, leave };
}

/**
 * An onSubmit handler that hands the form's data to `formAction`. Submitted by hand rather than
 * with <form action>: React resets a form after its action, and a reset puts controlled radio
 * buttons out of step with their state.
 */
export function submitWithoutReset(formAction: (formData: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  };
}

/** Live message first (it is about what is typed now), else the server's. */
export function mergeErrors(live: string | null | undefined | string[], server: string[] | undefined): string[] | undefined {
  const liveList = Array.isArray(live) ? live : live ? [live] : [];
  if (liveList.length) return liveList;
  return server?.length ? server : undefined;
}

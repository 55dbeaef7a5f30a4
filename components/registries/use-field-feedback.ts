'use client';
import { useCallback, useState } from 'react';
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

/** Live message first (it is about what is typed now), else the server's. */
export function mergeErrors(live: string | null | undefined | string[], server: string[] | undefined): string[] | undefined {
  const liveList = Array.isArray(live) ? live : live ? [live] : [];
  if (liveList.length) return liveList;
  return server?.length ? server : undefined;
}

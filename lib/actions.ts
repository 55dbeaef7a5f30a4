// Server actions are thin adapters: they parse input with the service's zod schema, call the
// service function, and turn its errors into state a form can show next to its fields.
import { AppError, ValidationError, isUnstorableText } from '@/lib/errors';

export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  data?: T;
};

export const initialActionState: ActionState<never> = { ok: false };

/**
 * The form field an error detail belongs to: its path up to the first list index. A form shows
 * one list of errors per field, so `repositories.2` and `events.0` are `repositories` and
 * `events`, while an object's member keeps its name (`newScopeMap.name`,
 * `garbageCollection.schedule`). The REST API keeps the full path in its `details`.
 */
export function formFieldKey(path: string): string {
  const segments = path.split('.');
  const index = segments.findIndex((s) => /^\d+$/.test(s));
  return (index < 0 ? segments : segments.slice(0, index)).join('.') || path;
}

/** An expected refusal as a form's state: each message by its field (once), and a summary in words. */
export function refusedState(error: AppError): ActionState<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const d of error.details) {
    if (!d.field) continue;
    const list = (fieldErrors[formFieldKey(d.field)] ??= []);
    if (!list.includes(d.message)) list.push(d.message);
  }
  // the API's summary names the field (`name: …`); a form says it in words, by the field
  const first = error.details[0];
  const message = first?.field && error.message === `${first.field}: ${first.message}` ? first.message : error.message;
  return { ok: false, message, fieldErrors };
}

export async function runAction<T>(fn: () => Promise<T>, success?: string): Promise<ActionState<T>> {
  try {
    const data = await fn();
    return { ok: true, message: success, data };
  } catch (caught) {
    const error = isUnstorableText(caught)
      ? new ValidationError('The input holds text that cannot be stored (a NUL byte, or a value too long).')
      : caught;
    if (error instanceof AppError) return refusedState(error);
    const id = crypto.randomUUID();
    console.error(`[action ${id}] unexpected error`, error);
    return { ok: false, message: `Something went wrong on our side (reference ${id}). Try again.` };
  }
}

/**
 * The form's banner: nothing when the error is about a field the form shows (the field says it),
 * so that an error appears once.
 */
export function bannerMessage(state: ActionState<unknown>, shownFields: Iterable<string>): string | undefined {
  if (state.ok) return undefined;
  for (const field of shownFields) if (state.fieldErrors?.[field]?.length) return undefined;
  return state.message;
}

/** FormData as a plain object of strings (the zod schemas coerce from there). */
export function formObject(formData: FormData, keys: string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, formData.get(k)?.toString()]));
}

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

export async function runAction<T>(fn: () => Promise<T>, success?: string): Promise<ActionState<T>> {
  try {
    const data = await fn();
    return { ok: true, message: success, data };
  } catch (caught) {
    const error = isUnstorableText(caught)
      ? new ValidationError('The input holds text that cannot be stored (a NUL byte, or a value too long).')
      : caught;
    if (error instanceof AppError) {
      const fieldErrors: Record<string, string[]> = {};
      for (const d of error.details) if (d.field) (fieldErrors[d.field] ??= []).push(d.message);
      // the API's summary names the field (`name: …`); a form says it in words, by the field
      const first = error.details[0];
      const message = first?.field && error.message === `${first.field}: ${first.message}` ? first.message : error.message;
      return { ok: false, message, fieldErrors };
    }
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

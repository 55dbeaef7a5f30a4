import { clsx } from 'clsx';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

type FieldProps = { label: string; name: string; errors?: string[]; hint?: ReactNode };

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <div id={id} aria-live="polite" className="min-h-0">
      {errors?.map((e) => (
        <p key={e} className="mt-1 text-sm text-red-600 dark:text-red-400">
          {e}
        </p>
      ))}
    </div>
  );
}

const inputClass = (invalid: boolean) =>
  clsx(
    'block w-full rounded-md border bg-white dark:bg-slate-900 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 dark:placeholder:text-slate-500',
    invalid ? 'border-red-500' : 'border-slate-300 dark:border-slate-700',
  );

/** What every control of a field carries: its name, and its hint and errors for screen readers. */
const controlProps = ({ name, errors, hint }: FieldProps) => ({
  name,
  'aria-invalid': errors?.length ? true : undefined,
  'aria-describedby': hint ? `${name}-error ${name}-hint` : `${name}-error`,
  className: inputClass(Boolean(errors?.length)),
});

/** The label above one control, the hint and the live error list below it. */
function FieldFrame({
  label,
  name,
  errors,
  hint,
  className,
  controlId,
  children,
}: FieldProps & { className?: string; controlId: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={controlId} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      <FieldErrors id={`${name}-error`} errors={errors} />
    </div>
  );
}

export function TextField({ label, name, errors, hint, className, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const field = { label, name, errors, hint };
  const id = input.id ?? name;
  return (
    <FieldFrame {...field} className={className} controlId={id}>
      <input id={id} {...controlProps(field)} {...input} />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  className,
  children,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const field = { label, name, errors, hint };
  const id = select.id ?? name;
  return (
    <FieldFrame {...field} className={className} controlId={id}>
      <select id={id} {...controlProps(field)} {...select}>
        {children}
      </select>
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  errors,
  hint,
  className,
  ...textarea
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const field = { label, name, errors, hint };
  const id = textarea.id ?? name;
  const control = controlProps(field);
  return (
    <FieldFrame {...field} className={className} controlId={id}>
      <textarea id={id} {...control} className={clsx(control.className, 'font-mono')} {...textarea} />
    </FieldFrame>
  );
}

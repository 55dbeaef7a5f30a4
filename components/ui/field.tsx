import { clsx } from 'clsx';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

type FieldProps = { label: string; name: string; errors?: string[]; hint?: ReactNode };

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <div id={id} aria-live="polite" className="min-h-0">
      {errors?.map((e) => (
        <p key={e} className="mt-1 text-sm text-red-600">
          {e}
        </p>
      ))}
    </div>
  );
}

const inputClass = (invalid: boolean) =>
  clsx(
    'block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400',
    invalid ? 'border-red-500' : 'border-slate-300',
  );

const describedBy = (name: string, hint: ReactNode) => (hint ? `${name}-error ${name}-hint` : `${name}-error`);

export function TextField({ label, name, errors, hint, className, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const errorId = `${name}-error`;
  return (
    <div className={className}>
      <label htmlFor={input.id ?? name} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={input.id ?? name}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, hint)}
        className={inputClass(Boolean(errors?.length))}
        {...input}
      />
      {hint && (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
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
  const errorId = `${name}-error`;
  return (
    <div className={className}>
      <label htmlFor={select.id ?? name} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={select.id ?? name}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, hint)}
        className={inputClass(Boolean(errors?.length))}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

export function TextAreaField({ label, name, errors, hint, className, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const errorId = `${name}-error`;
  return (
    <div className={className}>
      <label htmlFor={textarea.id ?? name} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={textarea.id ?? name}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(name, hint)}
        className={clsx(inputClass(Boolean(errors?.length)), 'font-mono')}
        {...textarea}
      />
      {hint && (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

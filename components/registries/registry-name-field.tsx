import type { InputHTMLAttributes } from 'react';
import { TextField } from '@/components/ui/field';

/** The name of a new cloud or connected registry, with the naming rule as its hint. */
export function RegistryNameField({
  errors,
  ...input
}: { errors?: string[] } & Pick<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'placeholder'>) {
  return (
    <TextField
      label="Name"
      name="name"
      autoComplete="off"
      required
      hint="5–50 letters and digits, starting with a letter."
      errors={errors}
      {...input}
    />
  );
}

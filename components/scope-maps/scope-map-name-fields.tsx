'use client';
// A new scope map's name and description: on the scope map form, and in the token form when the
// token gets a new map (its fields then named `newScopeMap.name`, `newScopeMap.description`).
import { TextField } from '@/components/ui/field';

export function ScopeMapNameFields({
  prefix = '',
  name,
  onName,
  description,
  onDescription,
  fieldErrors,
  nameLabel = 'Name',
  placeholder,
  hint,
  required,
}: {
  /** of the fields' names and of their error keys: '' or 'newScopeMap.' */
  prefix?: string;
  name: string;
  onName: (name: string) => void;
  description: string;
  onDescription: (description: string) => void;
  fieldErrors: Record<string, string[]>;
  nameLabel?: string;
  placeholder: string;
  hint: string;
  required?: boolean;
}) {
  return (
    <>
      <TextField
        label={nameLabel}
        name={`${prefix}name`}
        value={name}
        onChange={(e) => onName(e.target.value)}
        placeholder={placeholder}
        hint={hint}
        errors={fieldErrors[`${prefix}name`]}
        autoComplete="off"
        required={required}
      />
      <TextField
        label="Description (optional)"
        name={`${prefix}description`}
        value={description}
        onChange={(e) => onDescription(e.target.value)}
        maxLength={256}
        errors={fieldErrors[`${prefix}description`]}
      />
    </>
  );
}

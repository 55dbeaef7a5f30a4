'use client';
import * as Switch from '@radix-ui/react-switch';
import { clsx } from 'clsx';

/** An on/off switch; `labelledBy` names the element that says what it switches. */
export function ToggleSwitch({
  id,
  checked,
  onCheckedChange,
  disabled,
  labelledBy,
  describedBy,
}: {
  id?: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  labelledBy?: string;
  describedBy?: string;
}) {
  return (
    <Switch.Root
      id={id}
      checked={checked}
      onCheckedChange={onCheckedChange}
      disabled={disabled}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      className={clsx(
        'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60',
        checked ? 'bg-brand-600' : 'bg-slate-300 dark:bg-slate-600',
      )}
    >
      <Switch.Thumb
        className={clsx(
          'block size-5 rounded-full bg-white shadow transition-transform',
          checked ? 'translate-x-[22px]' : 'translate-x-0.5',
        )}
      />
    </Switch.Root>
  );
}

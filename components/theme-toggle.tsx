'use client';
// System, Light or Dark: a radio group of three icons. A choice applies at once (the <html>
// element's data-theme, which the `dark` variant reads) and is remembered in a cookie that the
// server reads to render the next page in it (lib/theme/theme.ts).
import { clsx } from 'clsx';
import { Monitor, Moon, Sun } from 'lucide-react';
import { useId, useSyncExternalStore } from 'react';
import { parseTheme, themeCookie, type Theme } from '@/lib/theme/theme';

const choices = [
  { theme: 'system', label: 'System', icon: Monitor },
  { theme: 'light', label: 'Light', icon: Sun },
  { theme: 'dark', label: 'Dark', icon: Moon },
] as const satisfies readonly { theme: Theme; label: string; icon: unknown }[];

/** The theme <html> carries, watched, so that every toggle on the page (the sidebar's, the menu's) shows it. */
function subscribe(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
const currentTheme = () => parseTheme(document.documentElement.dataset.theme);

/** Shows the page in `theme` now, and remembers it for the next pages. */
function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
  document.cookie = themeCookie(theme);
}

/** `initial`: the theme the server rendered the page in (its cookie). */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const theme = useSyncExternalStore(subscribe, currentTheme, () => initial);
  const name = useId();
  return (
    <fieldset className="inline-flex rounded-md border border-slate-300 p-0.5 dark:border-slate-700">
      <legend className="sr-only">Theme</legend>
      {choices.map(({ theme: value, label, icon: Icon }) => (
        <label
          key={value}
          title={label}
          className={clsx(
            'relative rounded p-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 dark:has-[:focus-visible]:outline-brand-400',
            theme === value
              ? 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100'
              : 'text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800',
          )}
        >
          <input
            type="radio"
            name={name}
            value={value}
            checked={theme === value}
            onChange={() => applyTheme(value)}
            className="absolute inset-0 cursor-pointer opacity-0"
          />
          <Icon size={15} aria-hidden />
          <span className="sr-only">{label}</span>
        </label>
      ))}
    </fieldset>
  );
}

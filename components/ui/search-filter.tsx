import { Search } from 'lucide-react';
import { FilterField, filterControlClass } from './filter-field';

/** The "Search" box of a list's filters. */
export function SearchFilter({ value, placeholder, onChange }: { value: string; placeholder: string; onChange: (value: string) => void }) {
  return (
    <FilterField label="Search">
      <span className="relative block">
        <Search
          size={15}
          className="pointer-events-none absolute left-2.5 top-1/2 -translate-y-1/2 text-slate-400 dark:text-slate-500"
          aria-hidden
        />
        <input
          type="search"
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          className={`${filterControlClass} w-56 pl-8`}
        />
      </span>
    </FilterField>
  );
}

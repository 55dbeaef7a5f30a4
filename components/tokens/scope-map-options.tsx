import type { ScopeMapDto } from '@/lib/scope-maps/schemas';

export type ScopeMapChoice = Pick<ScopeMapDto, 'name' | 'description' | 'actions'>;

/** The <option>s of a client token's scope-map picker: the user's maps, then the system ones (never sync maps). */
export function ScopeMapOptions({ choices, current }: { choices: { user: ScopeMapChoice[]; system: ScopeMapChoice[] }; current?: string }) {
  const known = [...choices.user, ...choices.system].some((m) => m.name === current);
  return (
    <>
      {current && !known && <option value={current}>{current}</option>}
      {choices.user.length > 0 && (
        <optgroup label="Your scope maps">
          {choices.user.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
            </option>
          ))}
        </optgroup>
      )}
      <optgroup label="System scope maps">
        {choices.system.map((m) => (
          <option key={m.name} value={m.name}>
            {m.name}
            {m.description ? ` — ${m.description}` : ''}
          </option>
        ))}
      </optgroup>
    </>
  );
}

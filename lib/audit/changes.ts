// How the audit log reads an event's details: rows of "field: before → after" instead of raw
// JSON. Services record details in a few shapes, and each becomes rows here:
//   { before: {...}, after: {...} }        one row per field that changed
//   { field: { before, after }, ... }      one row per field (connectedRegistry.update)
//   { added: [...], removed: [...] }       what a list gained and lost (also `add`/`remove`)
//   { field: value } on a *.create event   the values it was created with (— → value)
//   { field: value } otherwise             the value, without an arrow
// Pure, so the page and its tests read events the same way.

/** One line of an event's change; `before`/`after` absent means that side does not apply. */
export type ChangeRow = { field: string; before?: ChangeValue; after?: ChangeValue; value?: ChangeValue };

/** A value as the log shows it: a text, or a list (shown as items, long ones folded). */
export type ChangeValue = { text: string } | { items: string[] };

const WORDS: Record<string, string> = { tls: 'TLS', url: 'URL', id: 'ID', ttl: 'TTL', gc: 'GC', kid: 'Key ID' };
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const CREATED = /\.(create|bootstrap)$/;

/** `expiryWarningDays` → `Expiry warning days`, `tls` → `TLS`. */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (value === '') return '(empty)';
    return ISO_TIME.test(value) ? `${value.slice(0, 19).replace('T', ' ')} UTC` : value;
  }
  if (typeof value === 'number') return value.toLocaleString('en');
  if (Array.isArray(value)) return value.length ? value.map(scalarText).join(', ') : 'none';
  if (isPlainObject(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${fieldLabel(k).toLowerCase()} ${scalarText(v)}`)
      .join(', ');
  }
  return String(value);
}

/** A detail value as the log shows it: lists as items, everything else as one text. */
export function changeValue(value: unknown): ChangeValue {
  if (Array.isArray(value) && value.length) return { items: value.map(scalarText) };
  return { text: scalarText(value) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isBeforeAfter = (value: unknown): value is { before: unknown; after: unknown } =>
  isPlainObject(value) && 'before' in value && 'after' in value && Object.keys(value).length === 2;

/** The rows of one event's change, in the order its details list them. */
export function describeChange(action: string, details: unknown): ChangeRow[] {
  if (!isPlainObject(details)) return details === null || details === undefined ? [] : [{ field: 'Details', value: changeValue(details) }];
  const rows: ChangeRow[] = [];
  const { before, after, ...rest } = details;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const changed = keys.filter((k) => !same(before[k], after[k]));
    for (const k of changed) rows.push({ field: fieldLabel(k), before: changeValue(before[k]), after: changeValue(after[k]) });
    if (!changed.length) rows.push({ field: 'Change', value: { text: 'none (saved with the same values)' } });
  } else {
    if (before !== undefined) rest.before = before;
    if (after !== undefined) rest.after = after;
  }
  const created = CREATED.test(action);
  for (const [key, value] of Object.entries(rest)) {
    const field = fieldLabel(key);
    if (isBeforeAfter(value)) {
      rows.push({ field, before: changeValue(value.before), after: changeValue(value.after) });
    } else if ((key === 'added' || key === 'add') && Array.isArray(value)) {
      if (value.length) rows.push({ field: 'Added', value: changeValue(value) });
    } else if ((key === 'removed' || key === 'remove') && Array.isArray(value)) {
      if (value.length) rows.push({ field: 'Removed', value: changeValue(value) });
    } else if (created) {
      rows.push({ field, after: changeValue(value) });
    } else {
      rows.push({ field, value: changeValue(value) });
    }
  }
  return rows;
}

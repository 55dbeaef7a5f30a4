// How the portal writes sync figures: bytes and durations, the same on the server and in the browser.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 0 B, 512 B, 1.5 KB, 20 MB, 3.2 GB (powers of 1000, as registries and skopeo print sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits)).toLocaleString('en')} ${UNITS[unit]}`;
}

/** 850 ms, 12 s, 4 min 5 s, 2 h 3 min; "–" without an end. */
export function formatDuration(startedAt: string, endedAt: string | null): string {
  if (!endedAt) return '–';
  const ms = Math.max(0, Date.parse(endedAt) - Date.parse(startedAt));
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** What started a run, as the history and the progress box name it. */
export function describeTrigger(trigger: 'schedule' | 'now' | 'push'): string {
  return trigger === 'now' ? 'Sync now' : trigger === 'push' ? 'push at the edge' : 'schedule';
}

/** "3 tags, 20 MB" for one direction of a run; "nothing" when nothing moved. */
export function describeCounts(c: { tags: number; tagsDeleted: number; bytes: number }): string {
  const parts: string[] = [];
  if (c.tags) parts.push(`${c.tags.toLocaleString('en')} ${c.tags === 1 ? 'tag' : 'tags'}`);
  if (c.tagsDeleted) parts.push(`${c.tagsDeleted.toLocaleString('en')} deleted`);
  if (c.bytes) parts.push(formatBytes(c.bytes));
  return parts.length ? parts.join(', ') : 'nothing';
}

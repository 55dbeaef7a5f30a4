// How token times show in the portal: UTC, to the minute, the same on the server and in the
// browser (no hydration drift), and how a date input becomes an RFC 3339 expiry.

export function formatTime(iso: string | null | undefined, empty = '—'): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : empty;
}

export function formatDate(iso: string | null | undefined, empty = '—'): string {
  return iso ? iso.slice(0, 10) : empty;
}

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** "in 12 days", "in 5 hours", "3 days ago": how far `iso` is from `now`. */
export function relativeTime(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const [n, unit] =
    abs >= DAY_MS
      ? [Math.round(abs / DAY_MS), 'day']
      : abs >= HOUR_MS
        ? [Math.round(abs / HOUR_MS), 'hour']
        : [Math.max(1, Math.round(abs / 60_000)), 'minute'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** A date input's day (YYYY-MM-DD) as an RFC 3339 time: the end of that day, UTC. */
export function endOfDayUtc(date: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59Z` : null;
}

/**
 * The time a page is rendered at. A page reads it once and passes it down, so every relative
 * time on it ("in 3 days") is computed from one instant, on the server and in the browser alike.
 */
export function renderTime(): number {
  return Date.now();
}

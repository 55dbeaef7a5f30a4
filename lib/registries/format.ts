/** A time as `YYYY-MM-DD HH:MM UTC`: the same on the server and in the browser (no hydration drift). */
export function formatUtc(iso: string | null | undefined, fallback = 'never'): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : fallback;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

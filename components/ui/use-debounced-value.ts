'use client';
import { useEffect, useState } from 'react';

/** `value`, trimmed, once it has stayed the same for `ms`: what a search box asks the server for. */
export function useDebouncedValue(value: string, ms = 200): string {
  const [settled, setSettled] = useState(value.trim());
  useEffect(() => {
    const t = setTimeout(() => setSettled(value.trim()), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

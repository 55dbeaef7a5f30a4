'use client';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False on the server and while React hydrates its HTML, true from the next render on: for markup
 * only the browser can know (whether a query is refetching), which would otherwise differ from the
 * server's HTML and fail the hydration.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

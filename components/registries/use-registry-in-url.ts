'use client';
import { useEffect } from 'react';

/**
 * Puts the cloud registry a page shows into its URL (`?registry=`) when the page was opened
 * without it (the remembered or the first one was shown), so the address can be shared as is.
 */
export function useRegistryInUrl(registry: string) {
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has('registry')) return;
    url.searchParams.set('registry', registry);
    window.history.replaceState(null, '', url);
  }, [registry]);
}

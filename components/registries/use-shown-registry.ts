'use client';
import { useEffect } from 'react';
import { rememberedRegistryCookieString } from '@/lib/registries/remembered-registry';

/** Remembers a cloud registry for the next page opened without `?registry=` (lib/registries/remembered-registry.ts). */
export function rememberRegistry(name: string) {
  const cookie = rememberedRegistryCookieString(name, window.location.protocol === 'https:');
  if (cookie) document.cookie = cookie;
}

/**
 * For the cloud registry a page shows: remembers it, and puts it into the page's URL
 * (`?registry=`) when the page was opened without it (the remembered or the first one was shown),
 * so the address can be shared as is.
 */
export function useShownRegistry(registry: string) {
  useEffect(() => {
    rememberRegistry(registry);
    const url = new URL(window.location.href);
    if (url.searchParams.has('registry')) return;
    url.searchParams.set('registry', registry);
    window.history.replaceState(null, '', url);
  }, [registry]);
}

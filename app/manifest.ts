import type { MetadataRoute } from 'next';

/** The web app manifest: the name and icons a browser uses when the portal is installed or pinned. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'Canopy',
    short_name: 'Canopy',
    description: 'The control plane for connected container registries',
    start_url: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#047857',
    icons: [
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
    ],
  };
}

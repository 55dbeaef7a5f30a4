import { apiRoute } from '@/lib/api/handler';
import { certificateBundle } from '@/lib/token-service/keys';
import { methodsNotAllowed } from '@/lib/api/methods';

/** The published certificates as one PEM file: a registry's `rootcertbundle`. */
export const GET = apiRoute(
  {},
  async () =>
    new Response(await certificateBundle(), {
      headers: {
        'Content-Type': 'application/x-pem-file',
        'Content-Disposition': 'attachment; filename="canopy-token-service.pem"',
      },
    }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

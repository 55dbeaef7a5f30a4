import { apiRoute, json } from '@/lib/api/handler';
import { hierarchyTree } from '@/lib/registries/queries';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

// The whole tree in one small document; the Hierarchy page polls it for live status.
export const GET = apiRoute<P>({}, async ({ params }) => json(await hierarchyTree(params.registry), { noStore: true }));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

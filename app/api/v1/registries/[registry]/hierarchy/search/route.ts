import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';
import { searchHierarchy } from '@/lib/registries/hierarchy-queries';
import { hierarchySearchQuery } from '@/lib/registries/hierarchy-schemas';

type P = { registry: string };

// The tree's search: the matching registries with the path to each, and how many match.
export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await searchHierarchy(params.registry, readQuery(req, hierarchySearchQuery)), { noStore: true }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

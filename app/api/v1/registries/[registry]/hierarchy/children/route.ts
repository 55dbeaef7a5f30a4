import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';
import { hierarchyChildren } from '@/lib/registries/hierarchy-queries';
import { hierarchyChildrenQuery } from '@/lib/registries/hierarchy-schemas';

type P = { registry: string };

// One level of the tree (a page of one registry's children): the Hierarchy page loads it on expand.
export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await hierarchyChildren(params.registry, readQuery(req, hierarchyChildrenQuery)), { noStore: true }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);

import { apiRoute, json, readJson, readQuery } from '@/lib/api/handler';
import { pageQuery } from '@/lib/api/pagination';
import { createCloudRegistry } from '@/lib/registries/service/cloud-registries';
import { listCloudRegistries } from '@/lib/registries/cloud-queries';
import { createCloudRegistryInput } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute({}, async ({ req }) => json(await listCloudRegistries(readQuery(req, pageQuery))));

export const POST = apiRoute({}, async ({ req, actor }) =>
  json(await createCloudRegistry(actor, await readJson(req, createCloudRegistryInput)), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);

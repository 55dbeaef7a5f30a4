// The OpenAPI entries of one REST resource, its common shapes filled in: a collection path
// (list, create) and an item path under it (show, update, delete), the path parameters, the
// method, the success status and the usual error statuses. An entry states only what is its
// own: the summary, the schemas, and whatever differs from the usual.
import type { z } from 'zod';
import type { Operation } from './openapi';

type Kind = 'list' | 'show' | 'create' | 'update' | 'delete' | 'act';

const USUAL: Record<Kind, { method: Operation['method']; item: boolean; status: number; description: string; errors: number[] }> = {
  list: { method: 'get', item: false, status: 200, description: 'The list', errors: [404] },
  show: { method: 'get', item: true, status: 200, description: 'Found', errors: [404] },
  create: { method: 'post', item: false, status: 201, description: 'Created', errors: [403, 404, 409] },
  update: { method: 'patch', item: true, status: 200, description: 'Updated', errors: [403, 404, 409] },
  delete: { method: 'delete', item: true, status: 204, description: 'Deleted', errors: [403, 404, 409] },
  /** an action on one item: `POST <item>/<sub>` */
  act: { method: 'post', item: true, status: 200, description: 'Done', errors: [403, 404, 409] },
};

type Entry = Omit<Operation, 'method' | 'path' | 'tag' | 'pathParams' | 'response' | 'errors'> & {
  /** the response's description, when not the usual one */
  description?: string;
  /** the response body's schema */
  schema?: z.ZodType;
  /** the success status, when not the usual one */
  status?: number;
  /** the error statuses, when not the usual ones (404 is left out where the path names nothing) */
  errors?: number[];
  /** a path below the collection or item path (`/deactivate`); its `{parameters}` follow the item's */
  sub?: string;
};

export type Resource = {
  tag: string;
  /** the collection's path, e.g. `/api/v1/registries/{registry}/tokens` */
  path: string;
  /** the parameters of the collection's path, in order */
  pathParams?: string[];
  /** the parameter naming one item (default `name`): its path is `<path>/{<item>}` */
  item?: string;
  auth?: Operation['auth'];
};

/** `const tokens = resourceOperations({...}); tokens.list({...}), tokens.create({...}), …` */
export function resourceOperations(resource: Resource): Record<Kind, (entry: Entry) => Operation> {
  const item = resource.item ?? 'name';
  const build =
    (kind: Kind) =>
    ({ description, schema, status, errors, sub = '', ...rest }: Entry): Operation => {
      const usual = USUAL[kind];
      const pathParams = [
        ...(resource.pathParams ?? []),
        ...(usual.item ? [item] : []),
        ...[...sub.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
      ];
      return {
        method: usual.method,
        path: (usual.item ? `${resource.path}/{${item}}` : resource.path) + sub,
        tag: resource.tag,
        ...(resource.auth ? { auth: resource.auth } : {}),
        ...(pathParams.length ? { pathParams } : {}),
        errors: errors ?? (pathParams.length ? usual.errors : usual.errors.filter((e) => e !== 404)),
        ...rest,
        response: { status: status ?? usual.status, description: description ?? usual.description, ...(schema ? { schema } : {}) },
      };
    };
  return {
    list: build('list'),
    show: build('show'),
    create: build('create'),
    update: build('update'),
    delete: build('delete'),
    act: build('act'),
  };
}

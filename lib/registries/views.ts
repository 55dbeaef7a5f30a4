import 'server-only';
// Reads the portal's registry pages need beyond the service's own: which cloud registry a page
// shows, a registry's path from the root, and the endpoints it is reached at.
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { pageActor } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { NotFoundError } from '@/lib/errors';
import { listCloudRegistries } from './cloud-queries';
import type { CloudRegistryDto } from './schemas';
import type { ConnectedRegistryDto } from './schemas';
import { REMEMBERED_REGISTRY_COOKIE, rememberedOrFirst } from './remembered-registry';
import { protocolFor, type FeatureStatus } from './rules';
import { sameName } from '@/lib/db/like';
import { decodePathSegment } from '@/lib/text';

/** Every cloud registry, for the switcher (there are few; the first 200 by name). */
export async function cloudRegistryOptions(): Promise<CloudRegistryDto[]> {
  return (await listCloudRegistries({ limit: 200 })).items;
}

/**
 * The cloud registry a page shows: the one named by `?registry=`, else the first by name.
 * `null` when there is none yet; NotFoundError when the named one does not exist.
 */
export function chooseCloudRegistry(options: CloudRegistryDto[], requested: string | undefined): CloudRegistryDto | null {
  if (requested) {
    const lower = requested.toLowerCase();
    const found = options.find((o) => o.name.toLowerCase() === lower);
    if (!found) throw new NotFoundError(`Cloud registry "${requested}"`);
    return found;
  }
  return options[0] ?? null;
}

/**
 * What a page of one cloud registry needs first: every cloud registry (for the switcher) and the
 * one `?registry=` names, else the one the admin last looked at (the picker remembers it in a
 * cookie; `remembered: false` for pages of one item, whose plain links name the first), else the
 * first; `current` is null when there is none yet. A name that does not exist is the page's 404.
 */
export async function pageCloudRegistry(requested: string | string[] | undefined, { remembered = true }: { remembered?: boolean } = {}) {
  const registries = await cloudRegistryOptions();
  const name = Array.isArray(requested) ? requested[0] : requested;
  if (!name && remembered) {
    return { registries, current: rememberedOrFirst(registries, (await cookies()).get(REMEMBERED_REGISTRY_COOKIE)?.value) };
  }
  try {
    return { registries, current: chooseCloudRegistry(registries, name) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export type NamedPageProps = { params: Promise<{ name: string }>; searchParams: Promise<{ registry?: string }> };

/** A page of one named item's title: `<kind> <name>`. */
export function namedPageMetadata(kind: string) {
  return async ({ params }: Pick<NamedPageProps, 'params'>): Promise<Metadata> => ({
    title: `${kind} ${decodePathSegment((await params).name)}`,
  });
}

/**
 * A page of one named item of a cloud registry (a token, a scope map, a webhook): the signed-in
 * admin, the cloud registry `?registry=` names (else the first), and the item `load` reads — a
 * registry or item that does not exist is the page's 404.
 */
export async function namedPage<T>({ params, searchParams }: NamedPageProps, load: (registry: string, name: string) => Promise<T>) {
  const actor = await pageActor();
  const name = decodePathSegment((await params).name);
  const { current } = await pageCloudRegistry((await searchParams).registry, { remembered: false });
  if (!current) notFound();
  try {
    return { actor, registry: current.name, item: await load(current.name, name) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

/**
 * The registries from the top of the hierarchy down to the registry's parent, with their sync
 * scope maps (found by id: an adopted sync token's map has any name), in one recursive query.
 */
export async function ancestorsOf(registryName: string, name: string): Promise<{ name: string; syncScopeMap: string }[]> {
  const rows = await getDb().$queryRaw<{ name: string; syncScopeMap: string; depth: number }[]>`
    WITH RECURSIVE up AS (
      SELECT c."parentId", 0 AS depth
        FROM "ConnectedRegistry" c JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
       WHERE lower(r."name") = lower(${registryName}) AND lower(c."name") = lower(${name})
      UNION ALL
      SELECT p."parentId", up.depth + 1 FROM "ConnectedRegistry" p JOIN up ON p."id" = up."parentId"
    )
    SELECT p."name", m."name" AS "syncScopeMap", up.depth
      FROM up JOIN "ConnectedRegistry" p ON p."id" = up."parentId" JOIN "ScopeMap" m ON m."id" = p."syncScopeMapId"
     ORDER BY up.depth DESC`;
  return rows.map((r) => ({ name: r.name, syncScopeMap: r.syncScopeMap }));
}

export type Endpoint = { label: string; host: string; purpose: string };

/**
 * Client tokens authenticate at the registry's own login server; its sync token at the
 * parent's endpoint — for the cloud registry, its login server and its regional data endpoint.
 */
export function registryEndpoints(
  registry: ConnectedRegistryDto,
  cloud: Pick<CloudRegistryDto, 'name' | 'loginServer' | 'dataEndpoint'>,
  parentEndpoint: ParentEndpoint | null,
): { client: Endpoint; sync: Endpoint[] } {
  const client = {
    label: 'Login server',
    host: registry.loginServer,
    purpose: `On-premises clients log in and pull or push here with client tokens, over ${protocolFor(registry.tls)}${registry.tls === 'Disabled' ? ' (TLS disabled)' : ''}.`,
  };
  if (!registry.parent) {
    return {
      client,
      sync: [
        { label: `${cloud.name} login server`, host: cloud.loginServer, purpose: 'The sync token authenticates here.' },
        { label: `${cloud.name} data endpoint`, host: cloud.dataEndpoint, purpose: 'Sync messages are exchanged here (HTTPS).' },
      ],
    };
  }
  return {
    client,
    sync: [
      {
        label: `${registry.parent} login server`,
        host: parentEndpoint?.loginServer ?? '—',
        purpose: `The sync token authenticates at the parent ${registry.parent} and syncs through it${parentEndpoint ? `, over ${protocolFor(parentEndpoint.tls)}` : ''}.`,
      },
    ],
  };
}

export type ParentEndpoint = { loginServer: string; tls: FeatureStatus };

/** The login server of a connected registry and its TLS, by name (for its children's sync endpoint). */
export async function connectedLoginServer(registryName: string, name: string): Promise<ParentEndpoint | null> {
  return getDb().connectedRegistry.findFirst({
    where: { name: sameName(name), cloudRegistry: { name: sameName(registryName) } },
    select: { loginServer: true, tls: true },
  });
}

import 'server-only';
// The cloud registry a tokens or scope-maps page shows: `?registry=`, else the first by name.
import { notFound } from 'next/navigation';
import { NotFoundError } from '@/lib/errors';
import { chooseCloudRegistry, cloudRegistryOptions } from '@/lib/registries/views';

export async function pageCloudRegistry(requested: string | string[] | undefined) {
  const registries = await cloudRegistryOptions();
  const name = Array.isArray(requested) ? requested[0] : requested;
  try {
    return { registries, current: chooseCloudRegistry(registries, name) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

import type { Metadata } from 'next';
import { ArrowLeft, ShieldAlert } from 'lucide-react';
import Link from 'next/link';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { ScopeMapCreateForm } from '@/components/scope-maps/scope-map-create-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { pageCloudRegistry } from '@/lib/registries/views';
import { scopeMapsHref } from '@/lib/tokens/hrefs';
import { connectedRegistryOptions } from '@/lib/tokens/views';

export const metadata: Metadata = { title: 'New scope map' };

export default async function NewScopeMapPage({ searchParams }: { searchParams: Promise<{ registry?: string }> }) {
  const actor = await pageActor();
  const { current } = await pageCloudRegistry((await searchParams).registry);
  if (!current) {
    return (
      <>
        <PageHeader title="New scope map" />
        <CloudRegistryRequired what="Scope maps" />
      </>
    );
  }
  if (!hasRole(actor, 'Contributor')) {
    return (
      <EmptyState icon={<ShieldAlert size={32} aria-hidden />} title="Creating scope maps needs the Contributor role">
        Your role is {actor.role}. Ask an Owner if you need to create scope maps.
      </EmptyState>
    );
  }
  const connectedRegistries = await connectedRegistryOptions(current.name);
  return (
    <>
      <Link
        href={scopeMapsHref(current.name)}
        className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 dark:text-slate-400 hover:text-slate-900 dark:hover:text-slate-100 hover:underline"
      >
        <ArrowLeft size={14} aria-hidden /> Scope maps of {current.name}
      </Link>
      <PageHeader title="New scope map" description={`A named set of actions for client tokens of ${current.name}.`} />
      <div className="max-w-4xl">
        <ScopeMapCreateForm registry={current.name} connectedRegistries={connectedRegistries} />
      </div>
    </>
  );
}

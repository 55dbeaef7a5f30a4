import type { Metadata } from 'next';
import { ArrowLeft, ShieldAlert } from 'lucide-react';
import Link from 'next/link';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { TokenCreateForm } from '@/components/tokens/token-create-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { hasRole } from '@/lib/auth/roles';
import { pageActor } from '@/lib/auth/session';
import { pageCloudRegistry } from '@/lib/registries/views';
import { tokensHref } from '@/lib/tokens/hrefs';
import { clientScopeMapChoices, connectedRegistryOptions } from '@/lib/tokens/views';

export const metadata: Metadata = { title: 'New token' };

export default async function NewTokenPage({ searchParams }: { searchParams: Promise<{ registry?: string }> }) {
  const actor = await pageActor();
  const { current } = await pageCloudRegistry((await searchParams).registry);
  if (!current) {
    return (
      <>
        <PageHeader title="New token" />
        <CloudRegistryRequired what="Tokens" />
      </>
    );
  }
  if (!hasRole(actor, 'Contributor')) {
    return (
      <EmptyState icon={<ShieldAlert size={32} aria-hidden />} title="Creating tokens needs the Contributor role">
        Your role is {actor.role}. Ask an Owner if you need to create tokens.
      </EmptyState>
    );
  }
  const [choices, connectedRegistries] = await Promise.all([clientScopeMapChoices(current.name), connectedRegistryOptions(current.name)]);
  return (
    <>
      <Link
        href={tokensHref(current.name)}
        className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 dark:text-slate-400 hover:text-slate-900 dark:hover:text-slate-100 hover:underline"
      >
        <ArrowLeft size={14} aria-hidden /> Tokens of {current.name}
      </Link>
      <PageHeader
        title="New client token"
        description={`A token for on-premises clients of ${current.name}'s connected registries. Add it to a registry's client tokens to let them log in there.`}
      />
      <div className="max-w-4xl">
        <TokenCreateForm
          registry={current.name}
          choices={{
            user: choices.user.map(({ name, description, actions }) => ({ name, description, actions })),
            system: choices.system.map(({ name, description, actions }) => ({ name, description, actions })),
          }}
          connectedRegistries={connectedRegistries}
          today={new Date().toISOString().slice(0, 10)}
        />
      </div>
    </>
  );
}

import type { Metadata } from 'next';
import { ShieldAlert } from 'lucide-react';
import { CloudRegistryRequired } from '@/components/cloud-registry-required';
import { TokenCreateForm } from '@/components/tokens/token-create-form';
import { EmptyState } from '@/components/ui/empty-state';
import { BackLink } from '@/components/ui/back-link';
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
      <BackLink href={tokensHref(current.name)}>Tokens of {current.name}</BackLink>
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

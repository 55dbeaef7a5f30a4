'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { fetchLoginServerUsage, registryKeys } from '@/lib/registries/client-queries';
import { firstIssue } from '@/lib/registries/form-checks';
import { loginServerParam } from '@/lib/registries/schemas';

/**
 * Says, as the user types a connected registry's login server, whether a cloud registry holds it
 * (the server will refuse it) or other connected registries share it (allowed, but the token
 * service then knows this registry only by its service name).
 */
export function LoginServerSharingNote({ value, registry, name }: { value: string; registry: string; name: string }) {
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setAsked(firstIssue(loginServerParam, value) ? '' : value.trim().toLowerCase()), 250);
    return () => clearTimeout(t);
  }, [value]);
  const usage = useQuery({
    queryKey: registryKeys.loginServer(asked),
    queryFn: ({ signal }) => fetchLoginServerUsage(asked, signal),
    enabled: asked !== '',
    staleTime: 10_000,
  });
  if (!asked || !usage.data || usage.data.name !== asked) return null;
  const self = `${registry}/${name}`.toLowerCase();
  const others = usage.data.connectedRegistries.filter((c) => c.serviceName.toLowerCase() !== self);
  if (usage.data.cloudRegistry) {
    return (
      <p role="status" data-testid="login-server-note" className="text-xs text-red-700 dark:text-red-400 sm:col-span-2">
        {asked} is the login server of cloud registry {usage.data.cloudRegistry}, which names it alone: choose another.
      </p>
    );
  }
  if (!others.length) return null;
  return (
    <p
      role="status"
      data-testid="login-server-note"
      className="rounded-md bg-amber-50 dark:bg-amber-950/40 p-2 text-xs text-amber-900 dark:text-amber-200 sm:col-span-2"
    >
      {asked} is shared with {others.map((o) => o.serviceName).join(', ')}. That is allowed, but Canopy&apos;s token service then refuses it
      as a service (ambiguous): configure the registry with its service name{name ? ` ${registry}/${name}` : ', <cloud registry>/<name>'}.
    </p>
  );
}

import Link from 'next/link';
import type { ReactNode } from 'react';
import { EmptyState } from '@/components/ui/empty-state';

/** Stands in for a connected-registry page while there is no cloud registry to put them under. */
export function NoCloudRegistry({ icon, title }: { icon: ReactNode; title: string }) {
  return (
    <EmptyState icon={icon} title={title}>
      Connected registries live under a cloud registry.{' '}
      <Link href="/hierarchy" className="font-medium text-brand-700 dark:text-brand-400 hover:underline">
        Add one on the Hierarchy page
      </Link>
      .
    </EmptyState>
  );
}

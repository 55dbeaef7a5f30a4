import { Cloud } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';

/** Tokens and scope maps belong to a cloud registry: until one exists there is nothing to show. */
export function CloudRegistryRequired({ what }: { what: string }) {
  return (
    <EmptyState icon={<Cloud size={32} aria-hidden />} title="Add a cloud registry first">
      <p>{what} belong to a cloud registry, the root of a hierarchy. Add one on the Hierarchy page, then come back here.</p>
      <Link
        href="/hierarchy"
        className="mt-4 inline-block rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        Go to Hierarchy
      </Link>
    </EmptyState>
  );
}

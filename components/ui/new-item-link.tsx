import { Plus } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';

/** A page's "New …" link in its header, drawn as the primary button. */
export function NewItemLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-1.5 rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
    >
      <Plus size={15} aria-hidden /> {children}
    </Link>
  );
}

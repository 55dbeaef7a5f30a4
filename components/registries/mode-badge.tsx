import { Eye, PencilLine } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

/** ReadWrite (clients pull and push) or ReadOnly (a pull-only mirror). */
export function ModeBadge({ mode }: { mode: 'ReadWrite' | 'ReadOnly' }) {
  return mode === 'ReadOnly' ? (
    <Badge tone="blue" className="shrink-0">
      <Eye size={11} aria-hidden /> ReadOnly
    </Badge>
  ) : (
    <Badge tone="violet" className="shrink-0">
      <PencilLine size={11} aria-hidden /> ReadWrite
    </Badge>
  );
}

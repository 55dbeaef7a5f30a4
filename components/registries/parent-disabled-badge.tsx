import { Badge } from '@/components/ui/badge';

/**
 * Shown on a registry under a disabled one: it syncs through that registry, which cannot sync
 * with its own parent, so nothing new reaches it.
 */
export function ParentDisabledBadge({ parent, disabledAncestor }: { parent: string | null; disabledAncestor: string }) {
  const direct = parent === disabledAncestor;
  return (
    <Badge tone="amber" className="shrink-0">
      <span title={`${disabledAncestor} is disabled: this registry cannot sync through it`}>
        {direct ? 'parent disabled' : 'ancestor disabled'}
      </span>
    </Badge>
  );
}

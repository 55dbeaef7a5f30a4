import { Badge } from '@/components/ui/badge';

/** System maps exist in every cloud registry; a sync map belongs to one connected registry; the rest are the user's. */
export function ScopeMapKindBadge({ system, syncRegistry }: { system: boolean; syncRegistry: string | null }) {
  if (system) return <Badge tone="violet">system</Badge>;
  if (syncRegistry) return <Badge tone="blue">sync</Badge>;
  return <Badge>custom</Badge>;
}

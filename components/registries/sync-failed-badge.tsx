import { TriangleAlert } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

/** Shown when the registry’s last finished sync run, or its last garbage collection, failed. */
export function SyncFailedBadge() {
  return (
    <Badge tone="red" className="shrink-0">
      <TriangleAlert size={11} aria-hidden />
      <span title="Its last sync run or garbage collection failed: see its sync history">sync failed</span>
    </Badge>
  );
}

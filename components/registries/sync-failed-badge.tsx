import { TriangleAlert } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

/** Shown when the registry's last finished sync run failed. */
export function SyncFailedBadge() {
  return (
    <Badge tone="red" className="shrink-0">
      <TriangleAlert size={11} aria-hidden />
      <span title="Its last sync run failed: see its sync history">sync failed</span>
    </Badge>
  );
}

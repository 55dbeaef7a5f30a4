import { Ban } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

/** Shown when the registry's sync token is disabled: it cannot sync with its parent. */
export function SyncDisabledBadge() {
  return (
    <Badge tone="red" className="shrink-0">
      <Ban size={11} aria-hidden />
      <span title="Its sync token is disabled, so it cannot sync with its parent">disabled</span>
    </Badge>
  );
}

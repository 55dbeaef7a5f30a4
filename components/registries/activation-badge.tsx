import { Badge } from '@/components/ui/badge';
import type { ActivationStatus } from '@/lib/registries/rules';

export function ActivationBadge({ status }: { status: ActivationStatus }) {
  return <Badge tone={status === 'Active' ? 'green' : 'neutral'}>{status}</Badge>;
}

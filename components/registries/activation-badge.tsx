import { Badge } from '@/components/ui/badge';

export function ActivationBadge({ status }: { status: 'Active' | 'Inactive' }) {
  return <Badge tone={status === 'Active' ? 'green' : 'neutral'}>{status}</Badge>;
}

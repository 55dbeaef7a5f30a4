import { Badge } from '@/components/ui/badge';

export function TokenStatusBadge({ status }: { status: 'enabled' | 'disabled' }) {
  return <Badge tone={status === 'enabled' ? 'green' : 'red'}>{status}</Badge>;
}

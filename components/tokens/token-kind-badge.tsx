import { Badge } from '@/components/ui/badge';

/** Client tokens are what on-premises clients log in with; a sync token belongs to one connected registry. */
export function TokenKindBadge({ kind }: { kind: 'client' | 'sync' }) {
  return <Badge tone={kind === 'sync' ? 'violet' : 'blue'}>{kind === 'sync' ? 'sync token' : 'client token'}</Badge>;
}

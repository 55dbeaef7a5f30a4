import { PageSkeleton } from '@/components/ui/page-skeleton';

/** Shown at once while a portal page renders on the server (every page below shares it). */
export default function PortalLoading() {
  return <PageSkeleton />;
}

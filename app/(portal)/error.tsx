'use client';
import { Button } from '@/components/ui/button';

export default function PortalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="rounded-lg border border-red-200 dark:border-red-900 bg-red-50 dark:bg-red-950/40 p-6">
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-300">This page could not be shown</h1>
      <p className="mt-1 text-sm text-red-700 dark:text-red-400">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ''}. Try again; if it keeps happening, the server
        log has the details.
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}

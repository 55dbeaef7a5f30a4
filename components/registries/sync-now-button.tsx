'use client';
// Sync now: asks the registry's edge for a run at once (it learns of it through its config long
// poll). The history's query is refreshed so the run appears as soon as the edge reports it.
import { useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { syncKeys } from '@/lib/sync/client-queries';
import { syncNowAction } from '@/lib/sync/actions';

export function SyncNowButton({
  registry,
  name,
  size = 'md',
  onDone,
}: {
  registry: string;
  name: string;
  size?: 'sm' | 'md';
  /** where the outcome is shown; without it the button shows it beside itself */
  onDone?: (message: string, ok: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();

  function syncNow() {
    startTransition(async () => {
      const result = await syncNowAction(registry, name);
      const text = !result.ok
        ? (result.message ?? 'Sync now failed.')
        : result.data?.alreadyRequested
          ? `${name} was asked to sync already; its edge has not started yet.`
          : (result.message ?? `Asked ${name} to sync now.`);
      await queryClient.invalidateQueries({ queryKey: syncKeys.runs(registry, name) });
      if (onDone) onDone(text, result.ok);
      else setOutcome({ ok: result.ok, text });
    });
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button variant="secondary" size={size} onClick={syncNow} disabled={pending}>
        <RefreshCw size={14} aria-hidden className={pending ? 'animate-spin' : undefined} /> {pending ? 'Asking…' : 'Sync now'}
      </Button>
      {!onDone && outcome && (
        <span
          role="status"
          className={outcome.ok ? 'text-sm text-emerald-700 dark:text-emerald-400' : 'text-sm text-red-700 dark:text-red-400'}
        >
          {outcome.text}
        </span>
      )}
    </span>
  );
}

'use client';
import { RefreshCw } from 'lucide-react';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import { rotateSigningKeyAction } from '@/lib/token-service/actions';

const delays = [
  { label: 'in 1 hour', seconds: 3600 },
  { label: 'in 24 hours', seconds: 86400 },
  { label: 'in 7 days', seconds: 7 * 86400 },
  { label: 'now (emergency: registries must already trust the new certificate)', seconds: 0 },
];

export function SigningKeyRotation() {
  const [delay, setDelay] = useState(86400);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Rotation publishes a new key at once and lets it sign after a delay, so you can add its certificate to every registry&apos;s
        <code className="mx-1">rootcertbundle</code>first. The current key stays published until the tokens it signed have expired.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="min-w-0 max-w-full text-sm">
          <span className="mb-1 block font-medium text-slate-700 dark:text-slate-300">New key signs</span>
          <select
            value={delay}
            onChange={(e) => setDelay(Number(e.target.value))}
            className="max-w-full rounded-md border border-slate-300 dark:border-slate-700 bg-white dark:bg-slate-900 px-3 py-2 text-sm"
          >
            {delays.map((d) => (
              <option key={d.seconds} value={d.seconds}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => {
            if (!window.confirm('Publish a new signing key? Registries must trust its certificate before it starts signing.')) return;
            start(async () => {
              const result = await rotateSigningKeyAction(delay);
              setMessage({ ok: result.ok, text: result.message ?? '' });
            });
          }}
        >
          <RefreshCw size={15} aria-hidden /> Rotate signing key
        </Button>
      </div>
      <FormMessage ok={message?.ok} message={message?.text} />
    </div>
  );
}

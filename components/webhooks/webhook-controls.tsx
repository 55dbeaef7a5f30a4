'use client';
import { useQueryClient } from '@tanstack/react-query';
import { KeyRound, Send } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDeleteButton } from '@/components/ui/confirm-delete-button';
import { FormMessage } from '@/components/ui/form-message';
import { deleteWebhookAction, rotateWebhookSecretAction, sendTestEventAction } from '@/lib/webhooks/actions';
import { webhookKeys, webhooksHref } from '@/lib/webhooks/client-queries';
import { SecretDialog } from './secret-dialog';

/** Send test, Rotate secret and Delete of one endpoint (Contributor); the edit form enables and disables it. */
export function WebhookControls({ registry, name, enabled }: { registry: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, after?: () => void) =>
    startTransition(async () => {
      const result = await fn();
      setMessage({ ok: result.ok, text: result.message ?? '' });
      if (result.ok) after?.();
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          disabled={pending || !enabled}
          onClick={() =>
            run(
              () => sendTestEventAction(registry, name),
              () => void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(registry, name) }),
            )
          }
        >
          <Send size={15} aria-hidden /> Send test
        </Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await rotateWebhookSecretAction(registry, name);
              setMessage(result.ok ? undefined : { ok: false, text: result.message ?? '' });
              if (result.ok && result.data) {
                setSecret(result.data.secret);
                router.refresh();
              }
            })
          }
        >
          <KeyRound size={15} aria-hidden /> Rotate secret
        </Button>
        <ConfirmDeleteButton
          label="Delete webhook"
          name={name}
          description="Canopy stops sending to this URL at once, and its delivery log goes with it."
          onDelete={() => deleteWebhookAction(registry, name)}
          afterHref={webhooksHref(registry)}
        />
      </div>
      <FormMessage ok={message?.ok} message={message?.text} />
      <SecretDialog
        title={`New secret of webhook "${name}"`}
        secret={secret}
        note="For the next 24 hours every delivery carries two signatures, one with the old secret and one with this one, so you can switch your receiver without missing events."
        onClose={() => setSecret(null)}
      />
    </div>
  );
}

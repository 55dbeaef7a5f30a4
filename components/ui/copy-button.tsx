'use client';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from './button';

/**
 * Writes the text to the clipboard. The Clipboard API exists only in a secure context (https or
 * localhost): on a plain-http address the older copy command is the way, through a hidden text area.
 */
async function writeClipboard(value: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(value);
      return true;
    } catch {
      // denied: try the copy command below
    }
  }
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

export function CopyButton({ value, label = 'Copy', onCopied }: { value: string; label?: string; onCopied?: () => void }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <Button
      variant="secondary"
      size="sm"
      onClick={async () => {
        const ok = await writeClipboard(value);
        setState(ok ? 'copied' : 'failed');
        if (ok) onCopied?.();
        setTimeout(() => setState('idle'), ok ? 1500 : 4000);
      }}
    >
      {state === 'copied' ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select it and copy' : label}
    </Button>
  );
}

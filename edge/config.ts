// The gateway configuration document as the edge reads it. Canopy versions it (`schemaVersion`)
// and only adds fields, so the edge checks what it needs and keeps the rest as it came.
import { z } from 'zod';
import { syncRequest } from '@/lib/sync/report';
import { passwordSlotName, tokenStatus } from '@/lib/tokens/schemas';

const password = z.object({
  name: passwordSlotName,
  verifier: z.string(),
  creationTime: z.string(),
  expiry: z.string().nullable(),
});

export const edgeConfigSchema = z
  .object({
    schemaVersion: z.number().int().optional(),
    name: z.string(),
    registry: z.string(),
    mode: z.enum(['ReadWrite', 'ReadOnly']),
    loginServer: z.string(),
    parent: z.looseObject({ kind: z.enum(['cloudRegistry', 'connectedRegistry']) }),
    repositories: z.array(z.string()),
    descendants: z.array(z.string()).default([]),
    syncSchedule: z.string(),
    syncWindow: z.string().nullable(),
    syncMessageTtl: z.string(),
    logLevel: z.enum(['Debug', 'Information', 'Warning', 'Error', 'None']),
    notifications: z.array(z.string()),
    /** the latest Sync now request (a malformed one is ignored, not the whole document) */
    syncRequest: syncRequest.optional().catch(null),
    garbageCollection: z.object({ enabled: z.boolean(), schedule: z.string() }).optional().catch(undefined),
    syncToken: z.looseObject({ name: z.string(), status: tokenStatus }),
    clientTokens: z.array(
      z.looseObject({ name: z.string(), status: tokenStatus, actions: z.array(z.string()), passwords: z.array(password) }),
    ),
    childSyncTokens: z
      .array(
        z.looseObject({
          registry: z.string(),
          mode: z.enum(['ReadWrite', 'ReadOnly']),
          name: z.string(),
          status: tokenStatus,
          actions: z.array(z.string()),
          passwords: z.array(password),
        }),
      )
      .default([]),
  })
  .loose();

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;

/** What changed between two configurations, in words (one log line each). */
export function describeChanges(before: EdgeConfig | null, after: EdgeConfig): string[] {
  if (!before) {
    return [
      `configuration received: ${after.mode}, ${after.repositories.length} repositories, ${after.clientTokens.length} client tokens, ${after.childSyncTokens.length} child registries`,
    ];
  }
  const lines: string[] = [];
  for (const key of ['mode', 'loginServer', 'syncSchedule', 'syncWindow', 'syncMessageTtl', 'logLevel'] as const) {
    if (before[key] !== after[key]) lines.push(`${key}: ${before[key]} → ${after[key]}`);
  }
  for (const key of ['repositories', 'notifications', 'descendants'] as const) {
    const added = after[key].filter((x) => !before[key].includes(x));
    const removed = before[key].filter((x) => !after[key].includes(x));
    if (added.length) lines.push(`${key} added: ${added.join(', ')}`);
    if (removed.length) lines.push(`${key} removed: ${removed.join(', ')}`);
  }
  const tokens = (c: EdgeConfig) => [
    ...c.clientTokens.map((t) => ({ ...t, kind: 'client token' })),
    ...c.childSyncTokens.map((t) => ({ ...t, kind: `sync token of ${t.registry}` })),
  ];
  const old = new Map(tokens(before).map((t) => [t.name, t]));
  for (const t of tokens(after)) {
    const o = old.get(t.name);
    if (!o) lines.push(`${t.kind} ${t.name} accepted (${t.status})`);
    else {
      if (o.status !== t.status) lines.push(`${t.kind} ${t.name}: ${o.status} → ${t.status}`);
      if (JSON.stringify(o.actions) !== JSON.stringify(t.actions))
        lines.push(`${t.kind} ${t.name}: its scope map changed (${t.actions.length} actions)`);
      if (JSON.stringify(o.passwords) !== JSON.stringify(t.passwords))
        lines.push(`${t.kind} ${t.name}: passwords changed (${t.passwords.map((p) => p.name).join(', ') || 'none'})`);
    }
    old.delete(t.name);
  }
  for (const t of old.values()) lines.push(`${t.kind} ${t.name} no longer accepted`);
  if (before.syncToken.status !== after.syncToken.status)
    lines.push(`sync token ${after.syncToken.name}: ${before.syncToken.status} → ${after.syncToken.status}`);
  return lines.length ? lines : ['configuration changed'];
}

// Input schemas for cloud and connected registries, shared by server actions, REST handlers
// and the OpenAPI document.
import { z } from 'zod';
import {
  FEATURE_STATUSES,
  LOG_LEVELS,
  MODES,
  REGISTRY_NAME,
  REGISTRY_NAME_MESSAGE,
  cronError,
  isLoginServer,
  isRepositoryName,
  messageTtlError,
  notificationError,
} from './rules';

export const registryName = z.string().trim().regex(REGISTRY_NAME, REGISTRY_NAME_MESSAGE);
const loginServer = z
  .string()
  .trim()
  .toLowerCase()
  .refine(isLoginServer, 'Enter a host name or IP address, with an optional port (e.g. edge01.contoso.local:8080).');
/** A login server named in a path (GET /api/v1/login-servers/{loginServer}). */
export const loginServerParam = loginServer;
const region = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9]{1,39}$/, 'Use 2–40 lowercase letters and digits, e.g. westus2.');
const repository = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (!isRepositoryName(v))
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a valid repository name (lowercase, e.g. library/hello-world).` });
  });
const schedule = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const e = cronError(v);
    if (e) ctx.addIssue({ code: 'custom', message: e });
  });
const isoDuration = (check: (v: string) => string | null) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((v, ctx) => {
      const e = check(v);
      if (e) ctx.addIssue({ code: 'custom', message: e });
    });
const notification = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const e = notificationError(v);
    if (e) ctx.addIssue({ code: 'custom', message: e });
  });
const tokenName = z.string().trim().min(1).max(64);
const featureStatus = z.enum(FEATURE_STATUSES);
/** ACR's garbageCollection: whether the on-premises registry collects garbage, and when (cron). */
const garbageCollection = z.object({ enabled: z.boolean().optional(), schedule: schedule.optional() }).strict();

export const createCloudRegistryInput = z
  .object({
    name: registryName,
    loginServer,
    region,
    dataEndpoint: loginServer.optional(),
  })
  .strict();

export const updateCloudRegistryInput = z
  .object({ loginServer: loginServer.optional(), region: region.optional(), dataEndpoint: loginServer.optional() })
  .strict();

// The sync window's own rule depends on the schedule; the service checks it (syncWindowError).
const syncWindow = isoDuration(() => null).nullable();
const messageTtl = isoDuration(messageTtlError);

function noOverlap(add: string[] | undefined, remove: string[] | undefined, ctx: z.RefinementCtx, field: string, what: string) {
  const both = (add ?? []).filter((x) => (remove ?? []).includes(x));
  if (both.length) ctx.addIssue({ code: 'custom', path: [field], message: `${what} ${both.join(', ')} cannot be both added and removed.` });
}

export const createConnectedRegistryInput = z
  .object({
    name: registryName,
    parent: registryName.nullish(),
    mode: z.enum(MODES).default('ReadWrite'),
    loginServer,
    tls: featureStatus.optional(),
    /** what it syncs; or, instead, `syncToken` */
    repositories: z.array(repository).min(1, 'Choose at least one repository to sync.').max(500).optional(),
    /** an existing token to adopt as its sync token: its scope map's repositories are what it syncs */
    syncToken: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{5,50}$/, 'Use the name of an existing token (5–50 letters, digits and "-").')
      .optional(),
    clientTokens: z.array(tokenName).max(100).default([]),
    syncSchedule: schedule.optional(),
    syncWindow: syncWindow.optional(),
    syncMessageTtl: messageTtl.optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    auditLogStatus: featureStatus.optional(),
    notifications: z.array(notification).max(100).default([]),
    /** how the on-premises registry reaches a parent connected registry (a cloud parent is always https) */
    parentProtocol: z.enum(['https', 'http']).optional(),
    garbageCollection: garbageCollection.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.repositories && v.syncToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['syncToken'],
        message: 'Give repositories or an existing sync token, not both: the token’s scope map says what it syncs.',
      });
    } else if (!v.repositories && !v.syncToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['repositories'],
        message: 'Choose at least one repository to sync (or name an existing token as syncToken).',
      });
    }
    if (v.parentProtocol === 'http' && !v.parent) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentProtocol'],
        message: 'The cloud registry’s gateway (its data endpoint) is always reached over https; http is only for a connected parent.',
      });
    }
  });

export const updateConnectedRegistryInput = z
  .object({
    addClientTokens: z.array(tokenName).max(100).optional(),
    removeClientTokens: z.array(tokenName).max(100).optional(),
    syncSchedule: schedule.optional(),
    syncWindow: syncWindow.optional(),
    syncMessageTtl: messageTtl.optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    addNotifications: z.array(notification).max(100).optional(),
    removeNotifications: z.array(z.string().trim()).max(100).optional(),
    loginServer: loginServer.optional(),
    tls: featureStatus.optional(),
    auditLogStatus: featureStatus.optional(),
    garbageCollection: garbageCollection.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    noOverlap(v.addClientTokens, v.removeClientTokens, ctx, 'removeClientTokens', 'Token(s)');
    noOverlap(v.addNotifications, v.removeNotifications, ctx, 'removeNotifications', 'Notification(s)');
  });

export const permissionsInput = z
  .object({ add: z.array(repository).max(500).default([]), remove: z.array(repository).max(500).default([]) })
  .strict()
  .superRefine((v, ctx) => {
    noOverlap(v.add, v.remove, ctx, 'remove', 'Repository(ies)');
    if (!v.add.length && !v.remove.length) ctx.addIssue({ code: 'custom', path: ['add'], message: 'Name repositories to add or remove.' });
  });

export const listConnectedRegistriesQuery = z.object({
  parent: registryName.optional(),
  children: z.enum(['direct', 'all']).default('all'),
  q: z.string().trim().max(50).optional(),
  mode: z.enum(MODES).optional(),
  connectionState: z.enum(['Online', 'Offline', 'Syncing', 'Unhealthy']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export type CreateCloudRegistryInput = z.infer<typeof createCloudRegistryInput>;
export type CreateConnectedRegistryInput = z.infer<typeof createConnectedRegistryInput>;
export type UpdateConnectedRegistryInput = z.infer<typeof updateConnectedRegistryInput>;
export type UpdateCloudRegistryInput = z.infer<typeof updateCloudRegistryInput>;
export type PermissionsInput = z.infer<typeof permissionsInput>;
export type ListConnectedRegistriesQuery = z.infer<typeof listConnectedRegistriesQuery>;

// Over 300 lines on purpose: every input and DTO schema of both kinds of registry in one file, so
// that a field is added in one place (README, Adding a field); it holds schemas and nothing else.
// Cloud and connected registries' inputs (shared by server actions, REST handlers and live form
// checks) and the DTOs the reads and writes answer with: one zod schema each, the types inferred,
// the OpenAPI document built from them. No database: the portal's client components import it.
import { z } from 'zod';
import { passwordSlotName, tokenStatus } from '@/lib/tokens/schemas';
import { sortParams } from '@/lib/api/sort-params';
import {
  ACTIVATION_STATUSES,
  CONNECTION_STATES,
  FEATURE_STATUSES,
  LOG_LEVELS,
  MODES,
  REGISTRY_NAME,
  REGISTRY_NAME_MESSAGE,
  DEFAULT_MESSAGE_TTL,
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

/**
 * The settings of a connected registry that are one column each, named alike in the database,
 * the inputs and the DTO, and changed by plain assignment: the create and update use cases
 * spread them, sync-settings.ts reads them into the DTO and the gateway's configuration, the
 * registry page lists them under their `title`, and the new-registry form starts from their
 * `default` (the column's default too). A new such setting is one line here, its column, and
 * its form field.
 */
export const plainSyncSettings = z.object({
  syncMessageTtl: messageTtl.meta({ title: 'Message TTL', default: DEFAULT_MESSAGE_TTL }),
  logLevel: z.enum(LOG_LEVELS).meta({ title: 'Log level', default: 'Information' }),
  auditLogStatus: featureStatus.meta({ title: 'Audit log', description: 'ACR’s logging.auditLogStatus', default: 'Disabled' }),
});
export type PlainSyncSetting = keyof typeof plainSyncSettings.shape;
export const PLAIN_SYNC_SETTINGS = Object.keys(plainSyncSettings.shape) as PlainSyncSetting[];

/** The plain settings of `v` (an input, a row, a form's values), those it has. */
export function plainSyncSettingsOf<T extends Partial<Record<PlainSyncSetting, unknown>>>(v: T): Pick<T, PlainSyncSetting> {
  return Object.fromEntries(PLAIN_SYNC_SETTINGS.filter((k) => k in v).map((k) => [k, v[k]])) as Pick<T, PlainSyncSetting>;
}

/** Each plain setting's title and default, as its schema's metadata gives them. */
export function plainSyncSettingMeta(key: PlainSyncSetting): { title: string; default: string } {
  const meta = plainSyncSettings.shape[key].meta() as { title: string; default: string };
  return { title: meta.title, default: meta.default };
}

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
    ...plainSyncSettings.partial().shape,
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
    ...plainSyncSettings.partial().shape,
    addNotifications: z.array(notification).max(100).optional(),
    removeNotifications: z.array(z.string().trim()).max(100).optional(),
    loginServer: loginServer.optional(),
    tls: featureStatus.optional(),
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
  connectionState: z.enum(CONNECTION_STATES).optional(),
  ...sortParams(['name', 'created', 'lastActivity']),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export type CreateCloudRegistryInput = z.infer<typeof createCloudRegistryInput>;
export type CreateConnectedRegistryInput = z.infer<typeof createConnectedRegistryInput>;
export type UpdateConnectedRegistryInput = z.infer<typeof updateConnectedRegistryInput>;
export type UpdateCloudRegistryInput = z.infer<typeof updateCloudRegistryInput>;
export type PermissionsInput = z.infer<typeof permissionsInput>;
export type ListConnectedRegistriesQuery = z.infer<typeof listConnectedRegistriesQuery>;

export const cloudRegistryDto = z.object({
  name: z.string(),
  loginServer: z.string(),
  region: z.string(),
  dataEndpoint: z.string(),
  connectedRegistryCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CloudRegistryDto = z.infer<typeof cloudRegistryDto>;

/** A connected registry as the API and the portal show it. */
export const connectedRegistryDto = z.object({
  name: z.string(),
  registry: z.string(),
  parent: z.string().nullable(),
  mode: z.enum(MODES),
  loginServer: z.string(),
  tls: z
    .enum(FEATURE_STATUSES)
    .describe('TLS of its login server (ACR’s loginServer.tls): clients, children and connection strings use https when Enabled'),
  serviceName: z.string().describe('`<cloud registry>/<connected registry>`: the service name the token service always accepts for it'),
  // false when its login server names no registry for the token service alone: shared with other
  // connected registries (use the service name), or a cloud registry's (left by a migration)
  loginServerUnique: z
    .boolean()
    .describe('false when its login server is shared with other connected registries (use the service name) or detached'),
  loginServerSharedWith: z.array(z.string()).describe('Service names of other connected registries on the same login server (at most 20)'),
  loginServerDetached: z.boolean().describe('true when a migration found it on a cloud registry’s login server, which grants it nothing'),
  repositories: z.array(z.string()).describe('What it syncs with its parent: its own repositories and its descendants’'),
  // the repositories added to this registry itself
  ownRepositories: z.array(z.string()),
  clientTokens: z.array(z.string()),
  syncToken: z.string(),
  syncScopeMap: z.string(),
  syncTokenAdopted: z
    .boolean()
    .describe('The sync token existed before the registry (`syncToken` at creation): deleting the registry leaves it'),
  syncSchedule: z.string(),
  syncWindow: z.string().nullable(),
  ...plainSyncSettings.shape,
  notifications: z.array(z.string()),
  garbageCollection: z.object({ enabled: z.boolean(), schedule: z.string().describe('cron, default 0 0 * * * (daily)') }),
  activationStatus: z.enum(ACTIVATION_STATUSES),
  connectionState: z.enum(CONNECTION_STATES),
  lastActivityTime: z.string().nullable(),
  lastSyncTime: z.string().nullable(),
  version: z.string().nullable(),
  statusDetails: z.unknown(),
  disabled: z.boolean(),
  childCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectedRegistryDto = z.infer<typeof connectedRegistryDto>;

/**
 * What creation answers, once: the registry, and the connection string it is deployed with,
 * holding the sync-token password generated in the same transaction (so an admin goes from
 * "create" to "deploy" without a second step). Never cache it.
 */
export const createdConnectedRegistryDto = connectedRegistryDto.extend({
  connectionString: z
    .string()
    .describe('What the on-premises registry is deployed with; holds the generated sync-token password, shown this once'),
  syncPassword: z
    .object({ name: passwordSlotName, creationTime: z.string(), expiry: z.string().nullable() })
    .nullable()
    .describe('The sync-token slot generated for the connection string; null when none was (see note)'),
  note: z.string().nullable().describe('Set when no password was generated: how to get one'),
});
export type CreatedConnectedRegistry = z.infer<typeof createdConnectedRegistryDto>;

const permissionSource = z.object({ registry: z.string(), kind: z.enum(['own', 'descendant']), actions: z.array(z.string()) });
export type PermissionSource = z.infer<typeof permissionSource>;

/** GET CR/permissions: what its sync token holds, and where each came from. */
export const syncPermissionsDto = z.object({
  registry: z.string(),
  syncToken: z.string(),
  syncScopeMap: z.string(),
  repositories: z.array(z.object({ name: z.string(), actions: z.array(z.string()), from: z.array(permissionSource) })),
  gateway: z.array(permissionSource.describe('`own`: the registry’s own; `descendant`: carried for a registry under it')),
});
export type SyncPermissionsDto = z.infer<typeof syncPermissionsDto>;

/** A client token a connected registry accepts (GET CR/client-tokens). */
export const clientTokenDto = z.object({ name: z.string(), status: tokenStatus, scopeMap: z.string(), createdAt: z.string() });
export type ClientTokenDto = z.infer<typeof clientTokenDto>;

/**
 * One connected registry in the hierarchy document. Only what the tree draws, and the usual
 * values left out, so that 10,000 registries stay well under 1 MB.
 */
export const hierarchyNodeDto = z.object({
  name: z.string(),
  parent: z.string().nullable().describe('null: directly under the cloud registry'),
  connectionState: z.enum(CONNECTION_STATES),
  mode: z.literal('ReadOnly').optional().describe('present only for a ReadOnly registry (absent: ReadWrite)'),
  activationStatus: z.literal('Inactive').optional().describe('present only when Inactive (absent: Active)'),
  notDeployed: z.literal(true).optional().describe('present only when it never reported to Canopy (deployed nowhere yet)'),
  disabled: z.literal(true).optional().describe('present only when its sync token is disabled'),
  syncFailed: z.literal(true).optional().describe('present only when its last finished sync run, or its last garbage collection, failed'),
});
export type HierarchyDocumentNode = z.infer<typeof hierarchyNodeDto>;

export const hierarchyTreeDto = z.object({
  registry: z.object({ name: z.string(), loginServer: z.string(), dataEndpoint: z.string() }),
  nodes: z.array(hierarchyNodeDto),
});
export type HierarchyTree = z.infer<typeof hierarchyTreeDto>;

/** Who uses a login server: its cloud registry, or the connected registries on it. */
export const loginServerUsageDto = z.object({
  name: z.string(),
  cloudRegistry: z.string().nullable(),
  connectedRegistries: z.array(z.object({ registry: z.string(), name: z.string(), serviceName: z.string() })),
});
export type LoginServerUsage = z.infer<typeof loginServerUsageDto>;

/** Connected registries counted by state (3-minute offline rule), activation and disabled. */
export const registryStateCountsDto = z.object({
  total: z.number(),
  online: z.number(),
  syncing: z.number(),
  unhealthy: z.number(),
  offline: z.number().describe('reported before, but not for 3 minutes (or said Offline)'),
  notDeployed: z.number().describe('never reported to Canopy'),
  active: z.number(),
  inactive: z.number(),
  disabled: z.number(),
});
export type RegistryStateCounts = z.infer<typeof registryStateCountsDto>;

// Every /api/v1 operation, for the OpenAPI document. Request schemas are the ones the
// handlers validate with; response schemas describe the DTOs the services return.
import { z } from 'zod';
import { createAdminInput, updateAdminInput } from '@/lib/admins/service';
import { auditQuery } from '@/lib/audit/queries';
import { createAccessTokenInput } from '@/lib/auth/access-tokens';
import { pageQuery } from '@/lib/api/pagination';
import {
  createCloudRegistryInput,
  createConnectedRegistryInput,
  listConnectedRegistriesQuery,
  permissionsInput,
  updateCloudRegistryInput,
  updateConnectedRegistryInput,
} from '@/lib/registries/schemas';
import { listScopeMapsQuery } from '@/lib/scope-maps/queries';
import { createScopeMapInput, updateScopeMapInput } from '@/lib/scope-maps/service';
import { syncTokenCandidatesQuery } from '@/lib/registries/sync-token-adoption';
import { syncTokenCandidate } from '@/lib/registries/sync-token-eligibility';
import { listTokensQuery } from '@/lib/tokens/queries';
import { rotateSigningKeyInput } from '@/lib/token-service/keys';
import { connectionSettingsInput, createTokenInput, regeneratePasswordInput, updateTokenInput } from '@/lib/tokens/service';
import { syncOperations } from '@/lib/sync/operations';
import { webhookOperations } from '@/lib/webhooks/operations';
import { pageOf, type Operation } from './openapi';

const accessToken = z.object({ name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
const auditEvent = z.object({
  id: z.string(),
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetName: z.string(),
  registry: z.string().nullable(),
  details: z.unknown(),
  requestId: z.string().nullable(),
});
const admin = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['Owner', 'Contributor', 'Reader']),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});

const cloudRegistry = z.object({
  name: z.string(),
  loginServer: z.string(),
  region: z.string(),
  dataEndpoint: z.string(),
  connectedRegistryCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const connectedRegistry = z.object({
  name: z.string(),
  registry: z.string(),
  parent: z.string().nullable(),
  mode: z.enum(['ReadWrite', 'ReadOnly']),
  loginServer: z.string(),
  tls: z
    .enum(['Enabled', 'Disabled'])
    .describe('TLS of its login server (ACR’s loginServer.tls): clients, children and connection strings use https when Enabled'),
  serviceName: z.string().describe('`<cloud registry>/<connected registry>`: the service name the token service always accepts for it'),
  loginServerUnique: z
    .boolean()
    .describe('false when its login server is shared with other connected registries (use the service name) or detached'),
  loginServerSharedWith: z.array(z.string()).describe('Service names of other connected registries on the same login server (at most 20)'),
  loginServerDetached: z.boolean().describe('true when a migration found it on a cloud registry’s login server, which grants it nothing'),
  repositories: z.array(z.string()).describe('What it syncs with its parent: its own repositories and its descendants’'),
  ownRepositories: z.array(z.string()),
  clientTokens: z.array(z.string()),
  syncToken: z.string(),
  syncScopeMap: z.string(),
  syncTokenAdopted: z
    .boolean()
    .describe('The sync token existed before the registry (`syncToken` at creation): deleting the registry leaves it'),
  syncSchedule: z.string(),
  syncWindow: z.string().nullable(),
  syncMessageTtl: z.string(),
  logLevel: z.string(),
  auditLogStatus: z.enum(['Enabled', 'Disabled']).describe('ACR’s logging.auditLogStatus'),
  notifications: z.array(z.string()),
  garbageCollection: z.object({ enabled: z.boolean(), schedule: z.string().describe('cron, default 0 0 * * * (daily)') }),
  activationStatus: z.enum(['Active', 'Inactive']),
  connectionState: z.enum(['Online', 'Offline', 'Syncing', 'Unhealthy']),
  lastActivityTime: z.string().nullable(),
  lastSyncTime: z.string().nullable(),
  version: z.string().nullable(),
  statusDetails: z.unknown(),
  disabled: z.boolean(),
  childCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const createdConnectedRegistry = connectedRegistry.extend({
  connectionString: z
    .string()
    .describe('What the on-premises registry is deployed with; holds the generated sync-token password, shown this once'),
  syncPassword: z
    .object({ name: z.enum(['password1', 'password2']), creationTime: z.string(), expiry: z.string().nullable() })
    .nullable()
    .describe('The sync-token slot generated for the connection string; null when none was (see note)'),
  note: z.string().nullable().describe('Set when no password was generated: how to get one'),
});
const permissionSource = z.object({ registry: z.string(), kind: z.enum(['own', 'descendant']), actions: z.array(z.string()) });
const syncPermissions = z.object({
  registry: z.string(),
  syncToken: z.string(),
  syncScopeMap: z.string(),
  repositories: z.array(z.object({ name: z.string(), actions: z.array(z.string()), from: z.array(permissionSource) })),
  gateway: z.array(permissionSource.describe('`own`: the registry’s own; `descendant`: carried for a registry under it')),
});
const scopeMap = z.object({
  name: z.string(),
  description: z.string().nullable(),
  actions: z.array(z.string()),
  system: z.boolean(),
  syncRegistry: z.string().nullable(),
  tokenCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const passwordSlot = z.object({
  name: z.enum(['password1', 'password2']),
  creationTime: z.string(),
  expiry: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  state: z.enum(['valid', 'expiring', 'expired']),
});
const token = z.object({
  name: z.string(),
  scopeMap: z.string(),
  readOnly: z.boolean().describe('its scope map only reads: a ReadOnly connected registry may accept it as a client token'),
  status: z.enum(['enabled', 'disabled']),
  kind: z.enum(['client', 'sync']),
  syncRegistry: z.string().nullable(),
  acceptedBy: z.array(z.string()),
  passwords: z.array(passwordSlot),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const clientToken = z.object({ name: z.string(), status: z.string(), scopeMap: z.string(), createdAt: z.string() });
const hierarchyTree = z.object({
  registry: z.object({ name: z.string(), loginServer: z.string(), dataEndpoint: z.string() }),
  nodes: z.array(
    z.object({
      name: z.string(),
      parent: z.string().nullable().describe('null: directly under the cloud registry'),
      connectionState: z.enum(['Online', 'Offline', 'Syncing', 'Unhealthy']),
      mode: z.literal('ReadOnly').optional().describe('present only for a ReadOnly registry (absent: ReadWrite)'),
      activationStatus: z.literal('Inactive').optional().describe('present only when Inactive (absent: Active)'),
      notDeployed: z.literal(true).optional().describe('present only when it never reported to Canopy (deployed nowhere yet)'),
      disabled: z.literal(true).optional().describe('present only when its sync token is disabled'),
      syncFailed: z.literal(true).optional().describe('present only when its last finished sync run failed'),
    }),
  ),
});

const revealedPassword = z.object({
  name: z.enum(['password1', 'password2']),
  value: z.string().describe('Shown this once; only a verifier is stored'),
  creationTime: z.string(),
  expiry: z.string().nullable(),
});

const R = '/api/v1/registries/{registry}';
const CR = `${R}/connected-registries/{name}`;

export const operations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/access-tokens',
    tag: 'Access tokens',
    auth: 'basic-or-bearer',
    summary: 'Create an access token for the calling admin; the value is shown once',
    body: createAccessTokenInput,
    noStore: true,
    errors: [409, 429],
    response: { status: 201, description: 'Created', schema: z.object({ name: z.string(), token: z.string(), createdAt: z.string() }) },
  },
  {
    method: 'get',
    path: '/api/v1/access-tokens',
    tag: 'Access tokens',
    summary: 'List the calling admin’s access tokens (never their values)',
    response: { status: 200, description: 'The tokens', schema: pageOf(accessToken) },
  },
  {
    method: 'delete',
    path: '/api/v1/access-tokens/{name}',
    tag: 'Access tokens',
    pathParams: ['name'],
    summary: 'Revoke an access token',
    errors: [404],
    response: { status: 204, description: 'Revoked' },
  },
  {
    method: 'get',
    path: '/api/v1/audit-events',
    tag: 'Audit',
    summary: 'List audit events, newest first',
    query: auditQuery,
    response: { status: 200, description: 'A page of events', schema: pageOf(auditEvent) },
  },
  {
    method: 'get',
    path: '/api/v1/admins',
    tag: 'Admins',
    summary: 'List admins (Owner)',
    errors: [403],
    response: { status: 200, description: 'The admins', schema: pageOf(admin) },
  },
  {
    method: 'post',
    path: '/api/v1/admins',
    tag: 'Admins',
    summary: 'Add an admin (Owner)',
    body: createAdminInput,
    errors: [403, 409],
    response: { status: 201, description: 'Created', schema: admin },
  },
  {
    method: 'patch',
    path: '/api/v1/admins/{email}',
    tag: 'Admins',
    pathParams: ['email'],
    summary: 'Change an admin’s role or disable it (Owner)',
    body: updateAdminInput,
    errors: [403, 404, 409],
    response: { status: 200, description: 'Updated', schema: admin },
  },
  {
    method: 'get',
    path: '/api/v1/registries',
    tag: 'Cloud registries',
    summary: 'List cloud registries',
    query: pageQuery,
    response: { status: 200, description: 'A page of cloud registries', schema: pageOf(cloudRegistry) },
  },
  {
    method: 'post',
    path: '/api/v1/registries',
    tag: 'Cloud registries',
    body: createCloudRegistryInput,
    errors: [403, 409],
    summary: 'Create a cloud registry (and its system scope maps); dataEndpoint defaults to <name>.<region>.data.<rest of login server>',
    response: { status: 201, description: 'Created', schema: cloudRegistry },
  },
  {
    method: 'get',
    path: R,
    tag: 'Cloud registries',
    pathParams: ['registry'],
    summary: 'Show a cloud registry',
    errors: [404],
    response: { status: 200, description: 'The registry', schema: cloudRegistry },
  },
  {
    method: 'patch',
    path: R,
    tag: 'Cloud registries',
    pathParams: ['registry'],
    body: updateCloudRegistryInput,
    errors: [403, 404, 409],
    summary: 'Change a cloud registry’s login server, region or data endpoint',
    response: { status: 200, description: 'Updated', schema: cloudRegistry },
  },
  {
    method: 'delete',
    path: R,
    tag: 'Cloud registries',
    pathParams: ['registry'],
    errors: [403, 404, 409],
    summary: 'Delete a cloud registry with its tokens and scope maps (refused while it has connected registries)',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'get',
    path: `${R}/connected-registries`,
    tag: 'Connected registries',
    pathParams: ['registry'],
    query: listConnectedRegistriesQuery,
    errors: [404],
    summary: 'List connected registries: all, the descendants of `parent`, or direct children (`children=direct`)',
    response: { status: 200, description: 'A page of connected registries', schema: pageOf(connectedRegistry) },
  },
  {
    method: 'post',
    path: `${R}/connected-registries`,
    tag: 'Connected registries',
    pathParams: ['registry'],
    body: createConnectedRegistryInput,
    errors: [403, 404, 409],
    summary:
      'Create a connected registry with its sync token and sync scope map; ancestors’ sync scope maps gain its actions. Answers once with the connection string, holding password1 of the sync token generated in the same transaction',
    noStore: true,
    response: { status: 201, description: 'Created; the connection string is shown this once', schema: createdConnectedRegistry },
  },
  {
    method: 'get',
    path: CR,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'Show a connected registry',
    response: { status: 200, description: 'The registry', schema: connectedRegistry },
  },
  {
    method: 'patch',
    path: CR,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    body: updateConnectedRegistryInput,
    errors: [403, 404, 409],
    summary:
      'Change client tokens, sync settings, log level, audit log, notifications, login server and its tls, or garbage collection (parent and mode cannot change)',
    response: { status: 200, description: 'Updated', schema: connectedRegistry },
  },
  {
    method: 'delete',
    path: CR,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    errors: [403, 404, 409],
    summary: 'Delete a connected registry with its sync token and sync scope map (refused while it has children)',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: `${CR}/deactivate`,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    errors: [403, 404],
    summary: 'Reset activation to Inactive so the registry can be deployed again',
    response: { status: 200, description: 'Deactivated', schema: connectedRegistry },
  },
  {
    method: 'get',
    path: `${CR}/permissions`,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    errors: [404],
    summary:
      'The repositories and gateway actions the registry’s sync token holds, and where each came from (its own repositories, or carried for a descendant)',
    response: { status: 200, description: 'The sync token’s permissions', schema: syncPermissions },
  },
  {
    method: 'post',
    path: `${CR}/permissions`,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    body: permissionsInput,
    errors: [403, 404, 409],
    summary: 'Add repositories (to it and, through their sync scope maps, its ancestors) or remove them (from it and its descendants)',
    response: { status: 200, description: 'Updated', schema: connectedRegistry },
  },
  {
    method: 'get',
    path: `${CR}/client-tokens`,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'The client tokens a connected registry accepts',
    response: { status: 200, description: 'The tokens', schema: pageOf(clientToken) },
  },
  {
    method: 'get',
    path: `${R}/hierarchy`,
    tag: 'Connected registries',
    pathParams: ['registry'],
    errors: [404],
    noStore: true,
    summary: 'The whole hierarchy of a cloud registry in one document: small rows for a tree, with live status',
    response: { status: 200, description: 'The cloud registry and every connected registry under it', schema: hierarchyTree },
  },
  {
    method: 'get',
    path: `${R}/scope-maps`,
    tag: 'Scope maps',
    pathParams: ['registry'],
    query: listScopeMapsQuery,
    errors: [404],
    summary: 'List scope maps',
    response: { status: 200, description: 'A page of scope maps', schema: pageOf(scopeMap) },
  },
  {
    method: 'get',
    path: `${R}/scope-maps/{name}`,
    tag: 'Scope maps',
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'Show a scope map with its actions',
    response: { status: 200, description: 'The scope map', schema: scopeMap },
  },
  {
    method: 'get',
    path: `${R}/sync-token-candidates`,
    tag: 'Connected registries',
    pathParams: ['registry'],
    query: syncTokenCandidatesQuery,
    errors: [404],
    summary:
      'Tokens that are no registry’s sync token, with what decides whether a new connected registry may adopt one as `syncToken` (the portal’s picker)',
    response: { status: 200, description: 'Up to `limit` tokens by name', schema: z.object({ items: z.array(syncTokenCandidate) }) },
  },
  {
    method: 'get',
    path: `${R}/tokens`,
    tag: 'Tokens',
    pathParams: ['registry'],
    query: listTokensQuery,
    errors: [404],
    summary: 'List tokens (never a password or verifier)',
    response: { status: 200, description: 'A page of tokens', schema: pageOf(token) },
  },
  {
    method: 'get',
    path: `${R}/tokens/{name}`,
    tag: 'Tokens',
    pathParams: ['registry', 'name'],
    errors: [404],
    summary: 'Show a token (never a password or verifier)',
    response: { status: 200, description: 'The token', schema: token },
  },
  {
    method: 'post',
    path: `${R}/scope-maps`,
    tag: 'Scope maps',
    pathParams: ['registry'],
    body: createScopeMapInput,
    errors: [403, 404, 409],
    summary: 'Create a scope map',
    response: { status: 201, description: 'Created', schema: scopeMap },
  },
  {
    method: 'patch',
    path: `${R}/scope-maps/{name}`,
    tag: 'Scope maps',
    pathParams: ['registry', 'name'],
    body: updateScopeMapInput,
    errors: [403, 404, 409],
    summary:
      'Add or remove actions or change the description; applies at once to every token using it (409 when a ReadOnly registry’s client token would gain a write action). On a connected registry’s sync scope map, repository actions change what it syncs (its ancestors’ and descendants’ maps follow, as with POST …/permissions); its own and its descendants’ gateway actions stay, none are added outside its subtree, and a ReadOnly registry’s map stays read-only (409)',
    response: { status: 200, description: 'Updated', schema: scopeMap },
  },
  {
    method: 'delete',
    path: `${R}/scope-maps/{name}`,
    tag: 'Scope maps',
    pathParams: ['registry', 'name'],
    errors: [403, 404, 409],
    summary: 'Delete a scope map (409 while a token uses it; system and sync scope maps cannot be deleted)',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: `${R}/tokens`,
    tag: 'Tokens',
    pathParams: ['registry'],
    body: createTokenInput,
    errors: [403, 404, 409],
    noStore: true,
    summary:
      'Create a token with an existing scopeMap, a newScopeMap, or inline permissions (repositories/gateway: Canopy creates the scope map <token>-scope-map in the same transaction; 409 naming its holder when that name is taken); both passwords are generated (unless noPasswords), expiring at expiry or after expiresInDays, and shown this once',
    response: { status: 201, description: 'Created', schema: token.extend({ passwords: z.array(revealedPassword) }) },
  },
  {
    method: 'patch',
    path: `${R}/tokens/{name}`,
    tag: 'Tokens',
    pathParams: ['registry', 'name'],
    body: updateTokenInput,
    errors: [403, 404, 409],
    summary: 'Change status or scope map (disabling a sync token disables its connected registry)',
    response: { status: 200, description: 'Updated', schema: token },
  },
  {
    method: 'delete',
    path: `${R}/tokens/{name}`,
    tag: 'Tokens',
    pathParams: ['registry', 'name'],
    errors: [403, 404, 409],
    summary: 'Delete a token (409 for a sync token, or while connected registries accept it)',
    response: { status: 204, description: 'Deleted' },
  },
  {
    method: 'post',
    path: `${R}/tokens/{name}/credentials`,
    tag: 'Tokens',
    pathParams: ['registry', 'name'],
    body: regeneratePasswordInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'Regenerate one password slot (name; the other keeps working) or several in one transaction (names, e.g. ["password1","password2"]), with expiry or expiresInDays. The values are shown once',
    response: {
      status: 200,
      description: 'The new password (name), or { passwords } (names)',
      schema: z.union([revealedPassword, z.object({ passwords: z.array(revealedPassword) })]),
    },
  },
  {
    method: 'delete',
    path: `${R}/tokens/{name}/credentials/{slot}`,
    tag: 'Tokens',
    pathParams: ['registry', 'name', 'slot'],
    errors: [403, 404],
    summary: 'Remove a password slot',
    response: { status: 200, description: 'The token without that slot', schema: token },
  },
  {
    method: 'post',
    path: `${CR}/settings`,
    tag: 'Connected registries',
    pathParams: ['registry', 'name'],
    body: connectionSettingsInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'The connection string the on-premises registry is deployed with (ParentEndpointProtocol follows a connected parent’s tls unless parentProtocol is given); with generatePassword a sync-token slot is regenerated, with an optional expiry, and shown once',
    response: { status: 200, description: 'The connection string', schema: z.object({ connectionString: z.string() }) },
  },
  {
    method: 'get',
    path: '/api/v1/token-service',
    tag: 'Token service',
    summary: 'The token service’s issuer, realm (<public URL>/oauth2/token) and every published certificate (PEM, concatenated)',
    response: {
      status: 200,
      description: 'The settings',
      schema: z.object({ issuer: z.string(), realm: z.string(), certificate: z.string() }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/token-service/certificate.pem',
    tag: 'Token service',
    summary: 'The published certificates as a PEM file: a registry’s rootcertbundle',
    response: { status: 200, description: 'PEM' },
  },
  {
    method: 'post',
    path: '/api/v1/token-service/keys',
    tag: 'Token service',
    body: rotateSigningKeyInput,
    errors: [403, 409],
    summary:
      'Rotate the signing key (Owner): the new key is published at once and signs after delaySeconds; the old one stays published until the access tokens it signed expire, and verifies its refresh tokens until they expire. 409 while a new key is still waiting to sign',
    response: { status: 201, description: 'The new key', schema: z.object({ kid: z.string(), activatesAt: z.string() }) },
  },
  {
    method: 'get',
    path: '/api/v1/login-servers/{loginServer}',
    tag: 'Connected registries',
    summary: 'Who uses a login server: its cloud registry, or the connected registries that share it (with their service names)',
    response: {
      status: 200,
      description: 'The login server’s users',
      schema: z.object({
        name: z.string(),
        cloudRegistry: z.string().nullable(),
        connectedRegistries: z.array(z.object({ registry: z.string(), name: z.string(), serviceName: z.string() })),
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/registry-states',
    tag: 'Connected registries',
    summary: 'Connected registries counted by connection state (3-minute offline rule), activation and disabled',
    response: {
      status: 200,
      description: 'The counts',
      schema: z.object({
        total: z.number(),
        online: z.number(),
        syncing: z.number(),
        unhealthy: z.number(),
        offline: z.number(),
        active: z.number(),
        inactive: z.number(),
        disabled: z.number(),
      }),
    },
  },
  ...syncOperations,
  ...webhookOperations,
];

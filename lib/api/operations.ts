// Every /api/v1 operation, for the OpenAPI document. Request schemas are the ones the
// handlers validate with; response schemas describe the DTOs the services return.
import { z } from 'zod';
import { adminDto, createAdminInput, updateAdminInput } from '@/lib/admins/schemas';
import { auditEventDto, auditQuery } from '@/lib/audit/schemas';
import { accessTokenDto, createAccessTokenInput, createdAccessTokenDto } from '@/lib/auth/schemas';
import { pageQuery } from '@/lib/api/pagination';
import {
  clientTokenDto,
  cloudRegistryDto,
  connectedRegistryDto,
  createCloudRegistryInput,
  createConnectedRegistryInput,
  createdConnectedRegistryDto,
  hierarchyTreeDto,
  listConnectedRegistriesQuery,
  loginServerUsageDto,
  permissionsInput,
  registryStateCountsDto,
  syncPermissionsDto,
  updateCloudRegistryInput,
  updateConnectedRegistryInput,
} from '@/lib/registries/schemas';
import { hierarchyChildrenQuery, hierarchyLevelDto, hierarchySearchDto, hierarchySearchQuery } from '@/lib/registries/hierarchy-schemas';
import { createScopeMapInput, listScopeMapsQuery, scopeMapDto, updateScopeMapInput } from '@/lib/scope-maps/schemas';
import { syncTokenCandidatesQuery } from '@/lib/registries/sync-token-adoption';
import { syncTokenCandidate } from '@/lib/registries/sync-token-eligibility';
import {
  connectionSettingsDto,
  connectionSettingsInput,
  createTokenInput,
  createdTokenDto,
  listTokensQuery,
  regeneratePasswordInput,
  revealedPassword,
  tokenDto,
  updateTokenInput,
} from '@/lib/tokens/schemas';
import { rotateSigningKeyInput } from '@/lib/token-service/keys';
import { syncOperations } from '@/lib/sync/operations';
import { webhookOperations } from '@/lib/webhooks/operations';
import { pageOf, sortedPageOf, type Operation } from './openapi';
import { resourceOperations } from './resource-operations';

const R = '/api/v1/registries/{registry}';

const accessTokens = resourceOperations({ tag: 'Access tokens', path: '/api/v1/access-tokens' });
const admins = resourceOperations({ tag: 'Admins', path: '/api/v1/admins', item: 'email' });
const clouds = resourceOperations({ tag: 'Cloud registries', path: '/api/v1/registries', item: 'registry' });
const connected = resourceOperations({ tag: 'Connected registries', path: `${R}/connected-registries`, pathParams: ['registry'] });
// reads of a cloud registry's hierarchy as a whole, under its path
const hierarchy = resourceOperations({ tag: 'Connected registries', path: '/api/v1/registries', item: 'registry' });
const scopeMaps = resourceOperations({ tag: 'Scope maps', path: `${R}/scope-maps`, pathParams: ['registry'] });
const tokens = resourceOperations({ tag: 'Tokens', path: `${R}/tokens`, pathParams: ['registry'] });

export const operations: Operation[] = [
  accessTokens.create({
    auth: 'basic-or-bearer',
    summary: 'Create an access token for the calling admin; the value is shown once',
    body: createAccessTokenInput,
    noStore: true,
    errors: [409, 429],
    schema: createdAccessTokenDto,
  }),
  accessTokens.list({
    summary: 'List the calling admin’s access tokens (never their values)',
    description: 'The tokens',
    schema: pageOf(accessTokenDto),
  }),
  accessTokens.delete({ summary: 'Revoke an access token', errors: [404], description: 'Revoked' }),
  {
    method: 'get',
    path: '/api/v1/audit-events',
    tag: 'Audit',
    summary: 'List audit events, newest first',
    query: auditQuery,
    response: { status: 200, description: 'A page of events', schema: pageOf(auditEventDto) },
  },
  admins.list({ summary: 'List admins (Owner)', errors: [403], description: 'The admins', schema: pageOf(adminDto) }),
  admins.create({ summary: 'Add an admin (Owner)', body: createAdminInput, schema: adminDto }),
  admins.update({ summary: 'Change an admin’s role or disable it (Owner)', body: updateAdminInput, schema: adminDto }),
  clouds.list({
    summary: 'List cloud registries',
    query: pageQuery,
    description: 'A page of cloud registries',
    schema: pageOf(cloudRegistryDto),
  }),
  clouds.create({
    body: createCloudRegistryInput,
    summary: 'Create a cloud registry (and its system scope maps); dataEndpoint defaults to <name>.<region>.data.<rest of login server>',
    schema: cloudRegistryDto,
  }),
  clouds.show({ summary: 'Show a cloud registry', description: 'The registry', schema: cloudRegistryDto }),
  clouds.update({
    body: updateCloudRegistryInput,
    summary: 'Change a cloud registry’s login server, region or data endpoint',
    schema: cloudRegistryDto,
  }),
  clouds.delete({
    summary: 'Delete a cloud registry with its tokens and scope maps (refused while it has connected registries)',
  }),
  connected.list({
    query: listConnectedRegistriesQuery,
    summary: 'List connected registries: all, the descendants of `parent`, or direct children (`children=direct`)',
    description: 'A page of connected registries',
    schema: sortedPageOf(connectedRegistryDto),
  }),
  connected.create({
    body: createConnectedRegistryInput,
    summary:
      'Create a connected registry with its sync token and sync scope map; ancestors’ sync scope maps gain its actions. Answers once with the connection string, holding password1 of the sync token generated in the same transaction',
    noStore: true,
    description: 'Created; the connection string is shown this once',
    schema: createdConnectedRegistryDto,
  }),
  connected.show({ summary: 'Show a connected registry', description: 'The registry', schema: connectedRegistryDto }),
  connected.update({
    body: updateConnectedRegistryInput,
    summary:
      'Change client tokens, sync settings, log level, audit log, notifications, login server and its tls, or garbage collection (parent and mode cannot change)',
    schema: connectedRegistryDto,
  }),
  connected.delete({
    summary: 'Delete a connected registry with its sync token and sync scope map (refused while it has children)',
  }),
  connected.act({
    sub: '/deactivate',
    errors: [403, 404],
    summary: 'Reset activation to Inactive so the registry can be deployed again',
    description: 'Deactivated',
    schema: connectedRegistryDto,
  }),
  connected.show({
    sub: '/permissions',
    summary:
      'The repositories and gateway actions the registry’s sync token holds, and where each came from (its own repositories, or carried for a descendant)',
    description: 'The sync token’s permissions',
    schema: syncPermissionsDto,
  }),
  connected.act({
    sub: '/permissions',
    body: permissionsInput,
    summary: 'Add repositories (to it and, through their sync scope maps, its ancestors) or remove them (from it and its descendants)',
    description: 'Updated',
    schema: connectedRegistryDto,
  }),
  connected.show({
    sub: '/client-tokens',
    summary: 'The client tokens a connected registry accepts',
    description: 'The tokens',
    schema: pageOf(clientTokenDto),
  }),
  hierarchy.show({
    sub: '/hierarchy',
    noStore: true,
    summary: 'The whole hierarchy of a cloud registry in one document: small rows for a tree, with live status',
    description: 'The cloud registry and every connected registry under it',
    schema: hierarchyTreeDto,
  }),
  hierarchy.show({
    sub: '/hierarchy/children',
    query: hierarchyChildrenQuery,
    noStore: true,
    summary: 'One level of the hierarchy: a page of one registry’s children (the top level without `parent`), each with its child count',
    description: 'The level; the top level also carries the hierarchy’s registries counted by state',
    schema: hierarchyLevelDto,
  }),
  hierarchy.show({
    sub: '/hierarchy/search',
    query: hierarchySearchQuery,
    noStore: true,
    summary: 'Connected registries whose name contains `q` (any case), with every registry on the path to them and how many match',
    description: 'The first matches with their paths, and the count (capped)',
    schema: hierarchySearchDto,
  }),
  scopeMaps.list({
    query: listScopeMapsQuery,
    summary: 'List scope maps',
    description: 'A page of scope maps',
    schema: sortedPageOf(scopeMapDto),
  }),
  scopeMaps.show({ summary: 'Show a scope map with its actions', description: 'The scope map', schema: scopeMapDto }),
  hierarchy.show({
    sub: '/sync-token-candidates',
    query: syncTokenCandidatesQuery,
    summary:
      'Tokens that are no registry’s sync token, with what decides whether a new connected registry may adopt one as `syncToken` (the portal’s picker)',
    description: 'Up to `limit` tokens by name',
    schema: z.object({ items: z.array(syncTokenCandidate) }),
  }),
  tokens.list({
    query: listTokensQuery,
    summary: 'List tokens (never a password or verifier)',
    description: 'A page of tokens',
    schema: sortedPageOf(tokenDto),
  }),
  tokens.show({ summary: 'Show a token (never a password or verifier)', description: 'The token', schema: tokenDto }),
  scopeMaps.create({ body: createScopeMapInput, summary: 'Create a scope map', schema: scopeMapDto }),
  scopeMaps.update({
    body: updateScopeMapInput,
    summary:
      'Add or remove actions or change the description; applies at once to every token using it (409 when a ReadOnly registry’s client token would gain a write action). On a connected registry’s sync scope map, repository actions change what it syncs (its ancestors’ and descendants’ maps follow, as with POST …/permissions); its own and its descendants’ gateway actions stay, none are added outside its subtree, and a ReadOnly registry’s map stays read-only (409)',
    schema: scopeMapDto,
  }),
  scopeMaps.delete({ summary: 'Delete a scope map (409 while a token uses it; system and sync scope maps cannot be deleted)' }),
  tokens.create({
    body: createTokenInput,
    noStore: true,
    summary:
      'Create a token with an existing scopeMap, a newScopeMap, or inline permissions (repositories/gateway: Canopy creates the scope map <token>-scope-map in the same transaction; 409 naming its holder when that name is taken); both passwords are generated (unless noPasswords), expiring at expiry or after expiresInDays, and shown this once',
    schema: createdTokenDto,
  }),
  tokens.update({
    body: updateTokenInput,
    summary: 'Change status or scope map (disabling a sync token disables its connected registry)',
    schema: tokenDto,
  }),
  tokens.delete({ summary: 'Delete a token (409 for a sync token, or while connected registries accept it)' }),
  tokens.act({
    sub: '/credentials',
    body: regeneratePasswordInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'Regenerate one password slot (name; the other keeps working) or several in one transaction (names, e.g. ["password1","password2"]), with expiry or expiresInDays. The values are shown once',
    description: 'The new password (name), or { passwords } (names)',
    schema: z.union([revealedPassword, z.object({ passwords: z.array(revealedPassword) })]),
  }),
  tokens.delete({
    sub: '/credentials/{slot}',
    errors: [403, 404],
    summary: 'Remove a password slot',
    status: 200,
    description: 'The token without that slot',
    schema: tokenDto,
  }),
  connected.act({
    sub: '/settings',
    body: connectionSettingsInput,
    errors: [403, 404],
    noStore: true,
    summary:
      'The connection string the on-premises registry is deployed with (ParentEndpointProtocol follows a connected parent’s tls unless parentProtocol is given); with generatePassword a sync-token slot is regenerated, with an optional expiry, and shown once',
    description: 'The connection string',
    schema: connectionSettingsDto,
  }),
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
      schema: loginServerUsageDto,
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
      schema: registryStateCountsDto,
    },
  },
  ...syncOperations,
  ...webhookOperations,
];

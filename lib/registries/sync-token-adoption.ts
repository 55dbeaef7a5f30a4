// Bring-your-own sync token: creating a connected registry with `syncToken: "<name>"` adopts an
// existing token of the cloud registry instead of making one. The rule of which token may be
// adopted is in sync-token-eligibility.ts; here it is applied to the database's rows, for the
// service (refusing with 409) and for the portal's picker (GET R/sync-token-candidates).
import 'server-only';
import { z } from 'zod';
import type { Tx } from '@/lib/db/client';
import { getDb } from '@/lib/db/client';
import { containsText, sameName } from '@/lib/db/like';
import { ConflictError, ValidationError } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { PasswordSlotName } from '@/lib/tokens/schemas';
import { resolveCloudRegistry } from './cloud-queries';
import type { Mode } from './rules';
import { scopeMapFacts, syncTokenRefusal, type SyncTokenCandidate } from './sync-token-eligibility';

export type AdoptedSyncToken = {
  id: string;
  name: string;
  scopeMap: { id: string; name: string; actions: string[] };
  /** the slots that hold a password */
  filledSlots: PasswordSlotName[];
  /** the map's repository actions: the new registry's own */
  repositoryActions: string[];
};

const candidateSelect = {
  id: true,
  name: true,
  status: true,
  syncRegistry: { select: { name: true } },
  clientOf: { select: { connectedRegistry: { select: { name: true } } }, orderBy: { connectedRegistry: { name: 'asc' } } },
  passwords: { select: { slot: true } },
  scopeMap: {
    select: {
      id: true,
      name: true,
      system: true,
      actions: true,
      tokens: { select: { id: true, name: true }, orderBy: { name: 'asc' }, take: 6 },
    },
  },
} as const satisfies Prisma.TokenSelect;

type CandidateRow = Prisma.TokenGetPayload<{ select: typeof candidateSelect }>;

function toCandidate(row: CandidateRow): SyncTokenCandidate {
  const { repositoryActions: _, ...facts } = scopeMapFacts(row.scopeMap.actions);
  return {
    name: row.name,
    status: row.status,
    syncRegistry: row.syncRegistry?.name ?? null,
    clientOf: row.clientOf.map((c) => c.connectedRegistry.name),
    filledSlotCount: row.passwords.length,
    scopeMap: {
      name: row.scopeMap.name,
      system: row.scopeMap.system,
      sharedWith: row.scopeMap.tokens
        .filter((t) => t.id !== row.id)
        .slice(0, 5)
        .map((t) => t.name),
      ...facts,
    },
  };
}

/** Checks every rule of adoption (nothing is written); 400 for an unknown name, else 409 naming the rule. */
export async function resolveAdoptedSyncToken(
  tx: Tx,
  cloud: { id: string; name: string },
  tokenName: string,
  registry: { name: string; mode: Mode; clientTokens: string[] },
): Promise<AdoptedSyncToken> {
  const token = await tx.token.findFirst({ where: { cloudRegistryId: cloud.id, name: sameName(tokenName) }, select: candidateSelect });
  if (!token) {
    const elsewhere = await tx.token.findFirst({
      where: { name: sameName(tokenName), cloudRegistryId: { not: cloud.id } },
      select: { cloudRegistry: { select: { name: true } } },
    });
    if (elsewhere) {
      const message = `${tokenName} belongs to cloud registry ${elsewhere.cloudRegistry.name}; a sync token must be a token of ${cloud.name}.`;
      throw new ConflictError(message, [{ field: 'syncToken', message }], 'sync_token_other_registry');
    }
    throw ValidationError.field('syncToken', `There is no token named ${tokenName} in ${cloud.name}.`);
  }
  const refusal = syncTokenRefusal(toCandidate(token), registry);
  if (refusal) throw new ConflictError(refusal.message, [{ field: 'syncToken', message: refusal.message }], refusal.code);
  return {
    id: token.id,
    name: token.name,
    scopeMap: { id: token.scopeMap.id, name: token.scopeMap.name, actions: token.scopeMap.actions },
    filledSlots: token.passwords.map((p) => p.slot),
    repositoryActions: scopeMapFacts(token.scopeMap.actions).repositoryActions,
  };
}

export const syncTokenCandidatesQuery = z.object({
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/**
 * Tokens of a cloud registry that are not a registry's sync token, by name (containing `q`),
 * with what the adoption rule needs: the portal's picker offers the eligible ones and disables
 * the others with the reason, for the name, mode and client tokens being typed.
 */
export async function listSyncTokenCandidates(
  registryName: string,
  query: z.infer<typeof syncTokenCandidatesQuery>,
): Promise<{ items: SyncTokenCandidate[] }> {
  const db = getDb();
  const cloud = await resolveCloudRegistry(db, registryName);
  const rows = await db.token.findMany({
    where: { cloudRegistryId: cloud.id, syncRegistry: { is: null }, ...(query.q ? { name: containsText(query.q) } : {}) },
    orderBy: { name: 'asc' },
    take: query.limit,
    select: candidateSelect,
  });
  return { items: rows.map(toCandidate) };
}

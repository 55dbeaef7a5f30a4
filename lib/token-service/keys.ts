// The token service's signing keys: ECDSA P-256 (ES256) with a self-signed certificate that
// registries trust (distribution's `rootcertbundle`) and that goes in each JWT's `x5c` header.
// A key is published (its certificate served) from creation, signs from `activatesAt`, and
// stays published until `retiredAt`, after the access tokens it signed have expired. Refresh
// tokens are verified by Canopy alone: a retired key keeps verifying the ones it signed until
// they expire (REFRESH_TOKEN_TTL_SECONDS after its retirement at the latest).
import 'server-only';
import { importPKCS8 } from 'jose';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { EVERYTHING, onChange } from '@/lib/db/change-feed';
import { getDb, markChanged, transaction, type Tx } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { z } from 'zod';
import { encodeJwtHeader } from './jwt';
import { openPrivateKey, sealPrivateKey } from './key-crypto';
import { generateKeyMaterial, pemToDerBase64 } from './key-material';

/** Access tokens live at most this long (the spec's registries expect minutes). */
export const ACCESS_TOKEN_TTL_SECONDS = 300;
/** Refresh tokens live at most this long (and no longer than their password slot). */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 86400;
/** The change-feed name a rotation is announced under (no registry has this name). */
export const SIGNING_KEYS_CHANGED = '@signing-keys';

export type PublishedKey = { kid: string; certificate: string; createdAt: Date; activatesAt: Date; retiredAt: Date | null };
export type ActiveSigningKey = {
  kid: string;
  /** for jose (refresh tokens, verification) */
  key: CryptoKey;
  /** the same private key for node:crypto's synchronous signer (access tokens, the hot path) */
  keyObject: KeyObject;
  x5c: string[];
  /** the access tokens' header (kid and x5c), encoded once */
  accessTokenHeader: string;
};

async function insertKey(tx: Tx, activatesAt: Date) {
  const material = await generateKeyMaterial();
  const sealed = sealPrivateKey(material.privatePem);
  await tx.signingKey.create({
    data: { kid: material.kid, certificate: material.certificate, privateKey: sealed.privateKey, encrypted: sealed.encrypted, activatesAt },
  });
  return material.kid;
}

/** On first start: a key that signs at once. Safe when several instances start together. */
export async function ensureSigningKey(): Promise<void> {
  await transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:signing-keys'))`;
    if ((await tx.signingKey.count({ where: { retiredAt: null } })) > 0) return;
    await insertKey(tx, new Date());
  });
}

export async function publishedKeys(now = new Date()): Promise<PublishedKey[]> {
  return getDb().signingKey.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: now } }] },
    orderBy: { createdAt: 'asc' },
    select: { kid: true, certificate: true, createdAt: true, activatesAt: true, retiredAt: true },
  });
}

/**
 * The warning to print at start when, in production, a key that signs (or will) is stored
 * unencrypted — CANOPY_SECRET_KEY unset, or set only after the key was made — or null.
 */
export async function signingKeyStorageWarning(env = process.env): Promise<string | null> {
  if (env.NODE_ENV !== 'production') return null;
  const unencrypted = await getDb().signingKey.count({
    where: { encrypted: false, OR: [{ retiredAt: null }, { retiredAt: { gt: new Date() } }] },
  });
  if (!unencrypted) return null;
  return env.CANOPY_SECRET_KEY
    ? "the token service's signing key was made before CANOPY_SECRET_KEY was set and is stored unencrypted: rotate it (Settings → Token service) to store the new one encrypted."
    : "the token service's signing key is stored unencrypted in the database: set CANOPY_SECRET_KEY (and keep it) so that signing keys are encrypted at rest, then rotate the key.";
}

/** Every published certificate, concatenated: the registry's `rootcertbundle`. */
export async function certificateBundle(): Promise<string> {
  return (await publishedKeys()).map((k) => k.certificate.trim()).join('\n') + '\n';
}

// Every key that signs now or will (a pending one included, so that each instance switches at
// the announced time by its own clock), with its private key imported. Dropped when a rotation
// is announced (in this instance and, through NOTIFY, in every other): the next grant waits for
// the new keys. Reloaded after a minute at most, in the background: meanwhile the keys held go
// on signing, so that no grant waits for the database. One load at a time, shared by every
// request that needs it (32 clients at the minute's end made 32 loads). A reload that fails
// keeps the keys held (a short database outage must not stop signing).
type SigningCandidate = ActiveSigningKey & { activatesAt: number };
export const KEYS_TTL_MS = 60_000;
let signingKeys: { keys: SigningCandidate[]; until: number; dropped: boolean } | undefined;
let keysGeneration = 0;
let subscribed = false;
let loading: { generation: number; key: Promise<ActiveSigningKey> } | undefined;

function subscribe() {
  if (subscribed) return;
  subscribed = true;
  onChange((changed) => {
    if (changed !== SIGNING_KEYS_CHANGED && changed !== EVERYTHING) return;
    keysGeneration += 1;
    if (signingKeys) signingKeys.dropped = true;
  });
}

/** The one load of the signing keys under way for this generation, or a new one. */
function loadOnce(now: number): Promise<ActiveSigningKey> {
  if (loading?.generation === keysGeneration) return loading.key;
  const current = { generation: keysGeneration, key: loadSigningKeys(now) };
  loading = current;
  const done = () => {
    if (loading === current) loading = undefined;
  };
  current.key.then(done, done);
  return current.key;
}

function pick(keys: SigningCandidate[], now: number): ActiveSigningKey | undefined {
  let best: SigningCandidate | undefined;
  for (const k of keys) if (k.activatesAt <= now && (!best || k.activatesAt > best.activatesAt)) best = k;
  return best;
}

/** The key that signs now: the newest active one. Read from memory: this is on the hot path. */
export function activeSigningKey(now = Date.now()): ActiveSigningKey | Promise<ActiveSigningKey> {
  subscribe();
  const held = signingKeys && !signingKeys.dropped ? pick(signingKeys.keys, now) : undefined;
  if (!held) return loadOnce(now);
  if (signingKeys!.until <= now) {
    // a minute old: reloaded in the background (a reload that fails keeps these, and the next grant tries again)
    loadOnce(now).catch((error) => console.error('token service: could not reload the signing keys', error));
  }
  return held;
}

async function loadSigningKeys(now: number, created = false): Promise<ActiveSigningKey> {
  const generation = keysGeneration;
  let rows;
  try {
    rows = await getDb().signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: new Date() } }] },
      select: { kid: true, certificate: true, privateKey: true, encrypted: true, activatesAt: true },
    });
  } catch (error) {
    const held = signingKeys && pick(signingKeys.keys, now);
    if (held) return held;
    throw error;
  }
  const keys: SigningCandidate[] = [];
  for (const row of rows) {
    const pem = openPrivateKey(row);
    keys.push({
      kid: row.kid,
      // imported once: a WebCrypto key for jose, a KeyObject for node:crypto
      key: await importPKCS8(pem, 'ES256'),
      keyObject: createPrivateKey(pem),
      x5c: [pemToDerBase64(row.certificate)],
      accessTokenHeader: encodeJwtHeader({ alg: 'ES256', typ: 'JWT', kid: row.kid, x5c: [pemToDerBase64(row.certificate)] }),
      activatesAt: row.activatesAt.getTime(),
    });
  }
  const key = pick(keys, now);
  if (!key) {
    if (created) throw new Error('No signing key signs now.');
    await ensureSigningKey();
    return loadSigningKeys(now, true);
  }
  // a load that raced with a rotation is used once, not kept
  if (generation === keysGeneration) signingKeys = { keys, until: Date.now() + KEYS_TTL_MS, dropped: false };
  return key;
}

/**
 * The certificates that verify refresh tokens: every key that may have signed one that has not
 * expired — published keys, and retired ones until REFRESH_TOKEN_TTL_SECONDS after retirement.
 */
export async function refreshTokenVerificationKeys(now = new Date()): Promise<{ kid: string; certificate: string }[]> {
  return getDb().signingKey.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: new Date(now.getTime() - REFRESH_TOKEN_TTL_SECONDS * 1000) } }] },
    select: { kid: true, certificate: true },
  });
}

export const MAX_ROTATION_DELAY_SECONDS = 30 * 86400;
export const rotateSigningKeyInput = z
  .object({
    delaySeconds: z
      .number({ error: 'Give the delay in seconds (0 to sign with the new key at once).' })
      .int('The delay is a whole number of seconds.')
      .min(0, 'The delay cannot be negative.')
      .max(MAX_ROTATION_DELAY_SECONDS, 'The delay is at most 30 days (2592000 seconds).')
      .describe('Seconds until the new key signs; publish its certificate to every registry meanwhile'),
  })
  .strict();

/**
 * Rotation: the new key is published now and starts signing after `delaySeconds` (time to put
 * the new bundle in every registry's `rootcertbundle`); the current key stays published until
 * the tokens it signed have expired.
 */
export async function rotateSigningKey(actor: Actor, delaySeconds: number): Promise<{ kid: string; activatesAt: string }> {
  requireRole(actor, 'Owner');
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_ROTATION_DELAY_SECONDS) {
    throw new ConflictError('The delay must be between 0 seconds and 30 days.');
  }
  const result = await transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('canopy:signing-keys'))`;
    const pending = await tx.signingKey.findFirst({ where: { activatesAt: { gt: new Date() }, retiredAt: null }, select: { kid: true } });
    if (pending) throw new ConflictError(`Key ${pending.kid} is already waiting to take over; wait for it before rotating again.`);
    const activatesAt = new Date(Date.now() + delaySeconds * 1000);
    const retireOldAt = new Date(activatesAt.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000);
    await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: retireOldAt } });
    const kid = await insertKey(tx, activatesAt);
    // every instance drops its keys when this commits and reloads the new one, pending or not
    markChanged(tx, SIGNING_KEYS_CHANGED);
    await recordAudit(tx, actor, {
      action: 'tokenService.rotateKey',
      targetType: 'signingKey',
      targetName: kid,
      details: { activatesAt: activatesAt.toISOString(), previousKeysRetireAt: retireOldAt.toISOString() },
    });
    return { kid, activatesAt: activatesAt.toISOString() };
  });
  return result;
}

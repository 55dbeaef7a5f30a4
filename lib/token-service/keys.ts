// The token service's signing keys: ECDSA P-256 (ES256) with a self-signed certificate that
// registries trust (distribution's `rootcertbundle`) and that goes in each JWT's `x5c` header.
// A key is published (its certificate served) from creation, signs from `activatesAt`, and
// stays published until `retiredAt`, after the tokens it signed have expired.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { importPKCS8 } from 'jose';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { recordAudit } from '@/lib/audit/record';
import { requireRole, type Actor } from '@/lib/auth/roles';
import { getDb, transaction, type Tx } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import { openPrivateKey, sealPrivateKey } from './key-crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Access tokens live at most this long (the spec's registries expect minutes). */
export const ACCESS_TOKEN_TTL_SECONDS = 300;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export type PublishedKey = { kid: string; certificate: string; createdAt: Date; activatesAt: Date; retiredAt: Date | null };
export type ActiveSigningKey = { kid: string; key: CryptoKey; x5c: string[] };

async function generateKeyMaterial() {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=Canopy token service ${now.toISOString().slice(0, 10)}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 10 * 365 * 86400_000),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const privatePem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const certificate = cert.toString('pem');
  // kid: a fingerprint of the certificate, stable and unique
  const kid = createHash('sha256').update(Buffer.from(cert.rawData)).digest('base64url').slice(0, 32);
  return { kid, privatePem, certificate };
}

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

/** Every published certificate, concatenated: the registry's `rootcertbundle`. */
export async function certificateBundle(): Promise<string> {
  return (await publishedKeys()).map((k) => k.certificate.trim()).join('\n') + '\n';
}

function pemToDerBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

let cached: { key: ActiveSigningKey; until: number } | undefined;

/** The key that signs now: the newest active one. Cached briefly: this is on the hot path. */
export function activeSigningKey(now = Date.now()): ActiveSigningKey | Promise<ActiveSigningKey> {
  if (cached && cached.until > now) return cached.key;
  return loadSigningKey(now);
}

async function loadSigningKey(now: number): Promise<ActiveSigningKey> {
  const row = await getDb().signingKey.findFirst({
    where: { activatesAt: { lte: new Date(now) }, OR: [{ retiredAt: null }, { retiredAt: { gt: new Date(now) } }] },
    orderBy: { activatesAt: 'desc' },
    select: { kid: true, certificate: true, privateKey: true, encrypted: true },
  });
  if (!row) {
    await ensureSigningKey();
    return activeSigningKey(now);
  }
  const key: ActiveSigningKey = {
    kid: row.kid,
    // a WebCrypto key, imported once: jose signs with it directly (a KeyObject costs a
    // conversion on every signature)
    key: await importPKCS8(openPrivateKey(row), 'ES256'),
    x5c: [pemToDerBase64(row.certificate)],
  };
  cached = { key, until: now + 10_000 };
  return key;
}

export function forgetCachedSigningKey() {
  cached = undefined;
}

/**
 * Rotation: the new key is published now and starts signing after `delaySeconds` (time to put
 * the new bundle in every registry's `rootcertbundle`); the current key stays published until
 * the tokens it signed have expired.
 */
export async function rotateSigningKey(actor: Actor, delaySeconds: number): Promise<{ kid: string; activatesAt: string }> {
  requireRole(actor, 'Owner');
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 30 * 86400) {
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
    await recordAudit(tx, actor, {
      action: 'tokenService.rotateKey',
      targetType: 'signingKey',
      targetName: kid,
      details: { activatesAt: activatesAt.toISOString(), previousKeysRetireAt: retireOldAt.toISOString() },
    });
    return { kid, activatesAt: activatesAt.toISOString() };
  });
  forgetCachedSigningKey();
  return result;
}

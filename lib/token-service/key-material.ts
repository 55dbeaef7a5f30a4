// An ECDSA P-256 signing key with a self-signed certificate, as PEM: what a registry trusts
// (distribution's `rootcertbundle`) and what goes in each JWT's `x5c` header. Pure (no
// database): Canopy's token service and Canopy Edge both make their keys with it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export type KeyMaterial = { kid: string; privatePem: string; certificate: string };

export async function generateKeyMaterial(
  commonName = `Canopy token service ${new Date().toISOString().slice(0, 10)}`,
): Promise<KeyMaterial> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${commonName}`,
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

/** A PEM certificate's DER bytes in base64: one entry of a JWT's `x5c` header. */
export function pemToDerBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

// Webhook secrets at rest: sealed like the token service's signing keys (AES-256-GCM under
// CANOPY_SECRET_KEY when it is set), because Canopy signs with them and so must read them back.
import { openPrivateKey, sealPrivateKey } from '@/lib/token-service/key-crypto';

export function sealSecret(secret: string): { value: string; encrypted: boolean } {
  const sealed = sealPrivateKey(secret);
  return { value: sealed.privateKey, encrypted: sealed.encrypted };
}

export function openSecret(value: string, encrypted: boolean): string {
  try {
    return openPrivateKey({ privateKey: value, encrypted });
  } catch {
    throw new Error('A webhook secret is encrypted and CANOPY_SECRET_KEY does not open it (unset or changed?).');
  }
}

/** The secrets a delivery is signed with now: the current one, and the previous one during the day after a rotation. */
export function signingSecrets(
  row: {
    secret: string;
    secretEncrypted: boolean;
    previousSecret: string | null;
    previousSecretEncrypted: boolean;
    previousSecretUntil: Date | null;
  },
  now = new Date(),
): string[] {
  const secrets = [openSecret(row.secret, row.secretEncrypted)];
  if (row.previousSecret && row.previousSecretUntil && row.previousSecretUntil > now)
    secrets.push(openSecret(row.previousSecret, row.previousSecretEncrypted));
  return secrets;
}

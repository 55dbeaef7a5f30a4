// Everything the edge keeps lives in its data dir, every file 0600 (the configuration holds
// password verifiers, the key signs tokens): the last configuration and its ETag, the signing
// key and certificate, the instance id, queued status reports, the relay's last copies, and the
// registry's own folder. Files are replaced atomically (write a temporary file, then rename).
import { randomBytes, randomUUID } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { generateKeyMaterial, type KeyMaterial } from '@/lib/token-service/key-material';

export class DataDirError extends Error {}

export class DataDir {
  constructor(readonly root: string) {}

  /** Creates the folder (0700) when missing and checks that the edge can write there. */
  prepare(): void {
    try {
      if (!existsSync(this.root)) mkdirSync(this.root, { recursive: true, mode: 0o700 });
      if (!statSync(this.root).isDirectory()) throw new DataDirError(`${this.root} is not a folder.`);
      accessSync(this.root, constants.R_OK | constants.W_OK | constants.X_OK);
      mkdirSync(join(this.root, 'registry', 'storage'), { recursive: true, mode: 0o700 });
      const probe = join(this.root, '.write-test');
      this.write('.write-test', 'ok');
      unlinkSync(probe);
    } catch (error) {
      if (error instanceof DataDirError) throw error;
      throw new DataDirError(`The data dir ${this.root} is not usable: ${(error as Error).message}`);
    }
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  /** Writes a file atomically with mode 0600. */
  write(name: string, content: string): void {
    const target = this.path(name);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, content, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, target);
  }

  read(name: string): string | null {
    try {
      return readFileSync(this.path(name), 'utf8');
    } catch {
      return null;
    }
  }

  readJson<T>(name: string): T | null {
    const text = this.read(name);
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  writeJson(name: string, value: unknown): void {
    this.write(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Stable across restarts, so that the activation Canopy bound to this edge holds. */
  instanceId(): string {
    const existing = this.read('instance-id')?.trim();
    if (existing) return existing;
    const id = randomUUID();
    this.write('instance-id', `${id}\n`);
    return id;
  }

  /** The edge's own signing key and certificate, generated at first start. */
  async signingKey(commonName: string): Promise<KeyMaterial> {
    const stored = this.readJson<KeyMaterial>('signing-key.json');
    if (stored?.kid && stored.privatePem && stored.certificate) {
      if (!existsSync(this.path('signing-cert.pem'))) this.write('signing-cert.pem', stored.certificate);
      return stored;
    }
    const material = await generateKeyMaterial(commonName);
    this.writeJson('signing-key.json', material);
    this.write('signing-cert.pem', material.certificate);
    return material;
  }

  /** distribution signs upload state with http.secret: it must survive restarts. */
  registrySecret(): string {
    const existing = this.read('registry/http-secret')?.trim();
    if (existing) return existing;
    const secret = randomBytes(32).toString('hex');
    this.write('registry/http-secret', `${secret}\n`);
    return secret;
  }
}

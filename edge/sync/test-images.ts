// Images made on the spot for the sync tests and bench:sync (no network): an OCI layout on disk
// with images of random layers, a base layer shared by all of them, and a multi-platform index,
// each under its own ref name, for skopeo to push (`skopeo copy --all oci:<dir>:<ref> docker://…`).
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';

type Descriptor = {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
};

export class OciLayout {
  private readonly blobs: string;
  private readonly refs: Descriptor[] = [];
  constructor(readonly dir: string) {
    this.blobs = join(dir, 'blobs', 'sha256');
    mkdirSync(this.blobs, { recursive: true });
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }

  private put(mediaType: string, data: Buffer | string): Descriptor {
    const bytes = Buffer.from(data);
    const hex = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(this.blobs, hex), bytes);
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
  }

  /** A layer of random bytes, written in 1 MiB pieces (never whole in memory). */
  async randomLayer(size: number): Promise<Descriptor> {
    const temp = join(this.blobs, `tmp-${randomBytes(6).toString('hex')}`);
    const out = createWriteStream(temp);
    const hash = createHash('sha256');
    for (let left = size; left > 0;) {
      const piece = randomBytes(Math.min(left, 1 << 20));
      hash.update(piece);
      if (!out.write(piece)) await once(out, 'drain');
      left -= piece.length;
    }
    out.end();
    await once(out, 'finish');
    const hex = hash.digest('hex');
    renameSync(temp, join(this.blobs, hex));
    return { mediaType: LAYER, digest: `sha256:${hex}`, size };
  }

  /** An image manifest over these layers (its config names a label, so each image differs). */
  image(layers: Descriptor[], label: string, platform = { architecture: 'amd64', os: 'linux' }): Descriptor {
    const config = this.put(
      CONFIG,
      JSON.stringify({ ...platform, config: { Labels: { label } }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }),
    );
    const manifest = this.put(MANIFEST, JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config, layers }));
    return { ...manifest, platform };
  }

  index(manifests: Descriptor[]): Descriptor {
    return this.put(INDEX, JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }));
  }

  /** Names a manifest or index in index.json; returns its `oci:` reference for skopeo. */
  ref(name: string, descriptor: Descriptor): string {
    this.refs.push({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      annotations: { 'org.opencontainers.image.ref.name': name },
    });
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: this.refs }));
    return `oci:${this.dir}:${name}`;
  }
}

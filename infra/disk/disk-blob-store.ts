/**
 * Blobs as files under one folder (DATA_DIR/files in embedded mode). A key becomes the SHA-256 of
 * itself, so no key can name a path outside the folder; each blob is two files, its bytes and a
 * JSON sidecar, each written to a temporary name and renamed, so a reader never sees half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore, StoredBlob } from '../../core/ports/blob-store';

interface Sidecar {
  key: string;
  contentType: string;
  fileName: string;
}

export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private where(key: string): { dir: string; data: string; meta: string } {
    const hash = createHash('sha256').update(key).digest('hex');
    const dir = join(this.root, hash.slice(0, 2));
    return { dir, data: join(dir, `${hash}.bin`), meta: join(dir, `${hash}.json`) };
  }

  async put(key: string, blob: StoredBlob): Promise<void> {
    const { dir, data, meta } = this.where(key);
    await mkdir(dir, { recursive: true });
    const sidecar: Sidecar = { key, contentType: blob.contentType, fileName: blob.fileName };
    const tmp = `.${randomBytes(6).toString('hex')}.tmp`;
    // Bytes first: a sidecar is only ever beside complete bytes.
    await writeFile(data + tmp, blob.data);
    await rename(data + tmp, data);
    await writeFile(meta + tmp, JSON.stringify(sidecar));
    await rename(meta + tmp, meta);
  }

  async get(key: string): Promise<StoredBlob | null> {
    const { data, meta } = this.where(key);
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(await readFile(meta, 'utf8')) as Sidecar;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // A hash collision is not expected; the key in the sidecar makes sure.
    if (sidecar.key !== key) return null;
    return { data: await readFile(data), contentType: sidecar.contentType, fileName: sidecar.fileName };
  }

  async delete(key: string): Promise<void> {
    const { data, meta } = this.where(key);
    // The sidecar first: without it the blob is gone for readers.
    await rm(meta, { force: true });
    await rm(data, { force: true });
  }

  async close(): Promise<void> {}
}

/** Blobs in a Map: for unit tests and tools that need no disk. Copies in and out, as a real store would. */
import type { BlobStore, StoredBlob } from '../ports/blob-store';

export class InProcessBlobStore implements BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();

  async put(key: string, blob: StoredBlob): Promise<void> {
    this.blobs.set(key, { ...blob, data: Buffer.from(blob.data) });
  }

  async get(key: string): Promise<StoredBlob | null> {
    const blob = this.blobs.get(key);
    return blob ? { ...blob, data: Buffer.from(blob.data) } : null;
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }

  async close(): Promise<void> {}
}

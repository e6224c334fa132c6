/**
 * Where uploaded files' bytes live (docs/adr/016-files.md). Keys are chosen by Tributary
 * (`<conversation>/<file id>`), never by a client; a put under an existing key replaces it, so a
 * retried upload lands on the same blob. The contract suite is core/contracts/blob-store.contract.ts.
 */

/** A stored file: its bytes and what serving it needs. */
export interface StoredBlob {
  data: Buffer;
  /** The type the file is served with (an image's decoded format, else what the uploader declared). */
  contentType: string;
  fileName: string;
}

export interface BlobStore {
  /** Stores `blob` under `key`, replacing what was there; resolves once it is durable. */
  put(key: string, blob: StoredBlob): Promise<void>;
  /** The blob under `key`, or null. */
  get(key: string): Promise<StoredBlob | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Blobs in the `file_blobs` table (bytea, migration 008): shared by every web-api node of full mode, backed up with the database. */
import type { Pool } from 'pg';
import type { BlobStore, StoredBlob } from '../../core/ports/blob-store';

export class PostgresBlobStore implements BlobStore {
  constructor(private readonly pool: Pool) {}

  async put(key: string, blob: StoredBlob): Promise<void> {
    await this.pool.query(
      `INSERT INTO file_blobs (key, content_type, file_name, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET content_type = EXCLUDED.content_type, file_name = EXCLUDED.file_name, data = EXCLUDED.data`,
      [key, blob.contentType, blob.fileName, blob.data],
    );
  }

  async get(key: string): Promise<StoredBlob | null> {
    const { rows } = await this.pool.query<{ content_type: string; file_name: string; data: Buffer }>(
      'SELECT content_type, file_name, data FROM file_blobs WHERE key = $1',
      [key],
    );
    const row = rows[0];
    return row ? { data: row.data, contentType: row.content_type, fileName: row.file_name } : null;
  }

  async delete(key: string): Promise<void> {
    await this.pool.query('DELETE FROM file_blobs WHERE key = $1', [key]);
  }

  // The pool is the infrastructure's, closed by it.
  async close(): Promise<void> {}
}

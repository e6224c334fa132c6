/** Runs the BlobStore contract against the disk store in a fresh temporary folder. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobStoreContract } from '../../core/contracts/blob-store.contract';
import { DiskBlobStore } from './disk-blob-store';

let folder = '';
blobStoreContract('disk', async () => {
  folder = await mkdtemp(join(tmpdir(), 'trib-blobs-'));
  return { store: new DiskBlobStore(join(folder, 'files')), teardown: () => rm(folder, { recursive: true, force: true }) };
});

describe('disk blob store layout', () => {
  it('keeps every blob inside its folder, whatever the key, and leaves no temporary files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'trib-blobs-'));
    try {
      const store = new DiskBlobStore(join(root, 'files'));
      await store.put('../../escape', { data: Buffer.from('x'), contentType: 'text/plain', fileName: 'x' });
      expect(await readdir(root)).toEqual(['files']);
      const [shard] = await readdir(join(root, 'files'));
      const names = await readdir(join(root, 'files', shard!));
      expect(names.sort()).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.bin$/), expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

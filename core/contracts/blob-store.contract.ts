/** The BlobStore contract suite: every implementation runs it (in-process, disk, Postgres). */
import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../ports/blob-store';

/** A store under test and how to remove what it made (a test database, a folder). */
export interface BlobStoreUnderTest {
  store: BlobStore;
  teardown(): Promise<void>;
}

/** Defines the contract tests; `make` opens a fresh store (keys are random per test besides). */
export function blobStoreContract(name: string, make: () => Promise<BlobStoreUnderTest>): void {
  describe(`${name} (BlobStore contract)`, () => {
    let store: BlobStore;
    let opened: BlobStoreUnderTest;
    const key = (): string => `conv-${randomBytes(4).toString('hex')}/f${randomBytes(6).toString('base64url')}`;

    beforeAll(async () => {
      opened = await make();
      store = opened.store;
    });
    afterAll(async () => {
      await store.close();
      await opened.teardown();
    });

    it('gives back exactly the bytes, type and name that were put', async () => {
      const k = key();
      const data = randomBytes(70_000);
      await store.put(k, { data, contentType: 'image/png', fileName: 'pic ü.png' });
      const got = await store.get(k);
      expect(got?.contentType).toBe('image/png');
      expect(got?.fileName).toBe('pic ü.png');
      expect(got?.data.equals(data)).toBe(true);
    });

    it('answers null for a key never put', async () => {
      expect(await store.get(key())).toBeNull();
    });

    it('keeps an empty file as an empty file', async () => {
      const k = key();
      await store.put(k, { data: Buffer.alloc(0), contentType: 'text/plain', fileName: 'empty.txt' });
      expect((await store.get(k))?.data.length).toBe(0);
    });

    it('replaces a blob put again under the same key (a retried upload)', async () => {
      const k = key();
      await store.put(k, { data: Buffer.from('first'), contentType: 'text/plain', fileName: 'a.txt' });
      await store.put(k, { data: Buffer.from('second'), contentType: 'application/pdf', fileName: 'b.pdf' });
      const got = await store.get(k);
      expect(got).toEqual({ data: Buffer.from('second'), contentType: 'application/pdf', fileName: 'b.pdf' });
    });

    it('keeps keys apart, even ones that look like paths', async () => {
      const base = key();
      await store.put(`${base}/../x`, { data: Buffer.from('dots'), contentType: 'text/plain', fileName: 'x' });
      await store.put(base, { data: Buffer.from('plain'), contentType: 'text/plain', fileName: 'y' });
      expect((await store.get(`${base}/../x`))?.data.toString()).toBe('dots');
      expect((await store.get(base))?.data.toString()).toBe('plain');
    });

    it('deletes, and deleting a missing key is not an error', async () => {
      const k = key();
      await store.put(k, { data: Buffer.from('gone soon'), contentType: 'text/plain', fileName: 'g.txt' });
      await store.delete(k);
      expect(await store.get(k)).toBeNull();
      await expect(store.delete(k)).resolves.toBeUndefined();
    });

    it('does not let a caller change a stored blob through the buffers it passed or got', async () => {
      const k = key();
      const data = Buffer.from('original');
      await store.put(k, { data, contentType: 'text/plain', fileName: 'o.txt' });
      data.write('XXXXXXXX');
      const got = await store.get(k);
      got?.data.write('YYYYYYYY');
      expect((await store.get(k))?.data.toString()).toBe('original');
    });
  });
}

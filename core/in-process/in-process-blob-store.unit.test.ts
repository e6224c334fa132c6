/** Runs the BlobStore contract against the in-process store. */
import { blobStoreContract } from '../contracts/blob-store.contract';
import { InProcessBlobStore } from './in-process-blob-store';

blobStoreContract('in-process', async () => ({ store: new InProcessBlobStore(), teardown: async () => {} }));

/** Runs the directory contract suite against the in-process directory. */
import { directoryContract } from '../contracts/directory.contract';
import { InProcessDirectory } from './in-process-directory';

directoryContract('in-process', async (hasher) => ({ directory: new InProcessDirectory(hasher), teardown: async () => {} }));

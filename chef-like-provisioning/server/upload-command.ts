/** `tributary provision upload [--zookeeper HOST:PORT,...] [--dist DIR]`: publish cookbooks and roles to the store. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../core/project-root';
import { defaultConnect, openStore, STORE_ROOT } from './store';
import { loadCompiledTree, upload } from './upload';

/** Runs the command and returns its exit status (the engine's CLI requires this lazily). */
export async function uploadCommand(args: string[]): Promise<number> {
  let connect = '';
  try {
    const { values } = parseArgs({ args, options: { zookeeper: { type: 'string' }, dist: { type: 'string' } } });
    connect = defaultConnect(values.zookeeper);
    // Checked before connecting: a missing build is the user's to fix, whatever the store's state.
    const tree = loadCompiledTree(values.dist ?? join(projectRoot(), 'dist'));
    const store = await openStore(connect);
    try {
      for (const line of await upload(store, tree)) process.stdout.write(`uploaded ${line}\n`);
    } finally {
      store.close();
    }
    process.stdout.write(`cookbooks and roles are in ${connect} under ${STORE_ROOT}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`tributary provision upload: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

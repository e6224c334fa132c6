/** Pulls a role and the cookbooks its run list needs from the cookbook store, for `converge --from-server`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Cookbook, Role } from '../api';
import { openStore, rolePath, cookbookPath, type Store } from './store';
import { type CookbookManifest, LIB } from './upload';

/**
 * A fresh cache folder inside the checkout, so `require('zod')` in downloaded code resolves to the
 * project's node_modules, and so that a second fetch in the same process is not served by require's cache.
 */
export function newCacheDir(root: string): string {
  return join(root, '.data', 'provisioning-cache', randomBytes(6).toString('hex'));
}

async function download(store: Store, name: string, cacheDir: string, connect: string): Promise<void> {
  const latest = await store.get(`${cookbookPath(name)}/latest`).catch(() => {
    throw new Error(`cookbook ${name} is not in the cookbook store at ${connect}; run \`tributary provision upload\``);
  });
  const version = latest.toString();
  const manifest = JSON.parse((await store.get(cookbookPath(name, version))).toString()) as CookbookManifest;
  for (const file of manifest.files) {
    const target = join(cacheDir, 'cookbooks', name, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await store.get(`${cookbookPath(name, version)}/${file}`));
  }
}

function requireCookbook(cacheDir: string, name: string): Cookbook {
  const loaded = (require(join(cacheDir, 'cookbooks', name, 'index.js')) as { cookbook?: Cookbook }).cookbook;
  if (!loaded || loaded.name !== name || typeof loaded.recipes !== 'object') {
    throw new Error(`the store's cookbook ${name} does not export a cookbook named ${name}`);
  }
  return loaded;
}

/**
 * Downloads `role` and its run list's cookbooks (plus `_lib`) into `cacheDir`, requires them and
 * returns them. Fails, before anything on the node changes, when the store cannot be reached.
 */
export async function fetchFromServer(connect: string, role: string, cacheDir: string): Promise<{ cookbooks: Cookbook[]; roles: Role[] }> {
  const store = await openStore(connect);
  let fetched: Role;
  let names: string[];
  try {
    const data = await store.get(rolePath(role)).catch(() => {
      throw new Error(`role ${role} is not in the cookbook store at ${connect}; run \`tributary provision upload\``);
    });
    fetched = JSON.parse(data.toString()) as Role;
    names = [...new Set(fetched.runList.map((ref) => ref.split('::')[0]!))];
    for (const name of [LIB, ...names]) await download(store, name, cacheDir, connect);
  } finally {
    store.close();
  }
  return { cookbooks: names.map((n) => requireCookbook(cacheDir, n)), roles: [fetched] };
}

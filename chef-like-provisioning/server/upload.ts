/** Publishes the compiled cookbooks (and `_lib`) and the roles to the cookbook store, like `knife upload`. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cookbook, Role } from '../api';
import { cookbookPath, rolePath, type Store } from './store';

/** The pseudo-cookbook of shared helpers every cookbook may require (`../_lib`). */
export const LIB = '_lib';

/** What the store keeps on a version's own znode: enough to download it without listing children. */
export interface CookbookManifest {
  name: string;
  version: string;
  /** Paths relative to the cookbook folder, `/`-separated. */
  files: string[];
}

/** What a compiled tree offers for upload: dist/chef-like-provisioning/{cookbooks,roles}. */
export interface CompiledTree {
  cookbooksDir: string;
  cookbooks: Cookbook[];
  libVersion: string;
  roles: Role[];
}

/**
 * Loads the registries from the compiled tree (not from the sources) so the names and versions
 * uploaded always describe the very files uploaded.
 */
export function loadCompiledTree(distDir: string): CompiledTree {
  const cookbooksDir = join(distDir, 'chef-like-provisioning', 'cookbooks');
  if (!existsSync(join(cookbooksDir, 'index.js'))) {
    throw new Error(`no compiled cookbooks at ${cookbooksDir}: run \`npm run build\` first (uploads send the compiled JavaScript)`);
  }
  const load = (path: string) => require(path) as Record<string, unknown>;
  return {
    cookbooksDir,
    cookbooks: load(join(cookbooksDir, 'index.js')).cookbooks as Cookbook[],
    libVersion: load(join(cookbooksDir, LIB, 'index.js')).LIB_VERSION as string,
    roles: load(join(distDir, 'chef-like-provisioning', 'roles', 'index.js')).roles as Role[],
  };
}

/** Every .js file under `dir` (source maps and declarations stay home), relative and sorted. */
function jsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.js')) out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files first, then the manifest, then `latest`: a reader never follows a pointer to a half-written version. */
async function uploadCookbook(store: Store, dir: string, name: string, version: string): Promise<CookbookManifest> {
  if (!existsSync(dir)) throw new Error(`cookbook ${name} is registered but ${dir} does not exist: rebuild`);
  const manifest: CookbookManifest = { name, version, files: jsFiles(dir) };
  for (const file of manifest.files) await store.put(`${cookbookPath(name, version)}/${file}`, readFileSync(join(dir, file)));
  await store.put(cookbookPath(name, version), Buffer.from(JSON.stringify(manifest)));
  await store.put(`${cookbookPath(name)}/latest`, Buffer.from(version));
  return manifest;
}

/** Uploads everything in the tree; returns one line per cookbook and role for the user. */
export async function upload(store: Store, tree: CompiledTree): Promise<string[]> {
  const lines: string[] = [];
  const entries: [string, string][] = [[LIB, tree.libVersion], ...tree.cookbooks.map((c): [string, string] => [c.name, c.version])];
  for (const [name, version] of entries) {
    const m = await uploadCookbook(store, join(tree.cookbooksDir, name), name, version);
    lines.push(`cookbook ${name} ${version} (${m.files.length} files)`);
  }
  for (const role of tree.roles) {
    await store.put(rolePath(role.name), Buffer.from(JSON.stringify(role)));
    lines.push(`role ${role.name}`);
  }
  return lines;
}
